package org.crustyclaw.tool.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.crustyclaw.api.tool.ToolCall;
import org.junit.jupiter.api.Test;

class EchoToolTest {

    static EchoTool.Config config(String prefix, boolean upper, int max) {
        return new EchoTool.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EchoTool.Config.class;
            }

            @Override
            public String prefix() {
                return prefix;
            }

            @Override
            public boolean upperCase() {
                return upper;
            }

            @Override
            public int maxLength() {
                return max;
            }
        };
    }

    @Test
    void echoesTheTextWithPrefixAndCase() {
        EchoTool tool = new EchoTool(config("> ", true, 100));
        var result = tool.call(new ToolCall("1", "echo", Map.of("text", "hello")));
        assertThat(result.error()).isFalse();
        assertThat(result.text()).isEqualTo("> HELLO");
    }

    @Test
    void reconfiguresWithoutRestart() {
        EchoTool tool = new EchoTool(config("", false, 100));
        tool.modified(config("re: ", false, 100));
        assertThat(tool.call(new ToolCall("2", "echo", Map.of("text", "x"))).text()).isEqualTo("re: x");
    }

    @Test
    void refusesWrongTypesAndOverlongText() {
        EchoTool tool = new EchoTool(config("", false, 3));
        assertThat(tool.call(new ToolCall("3", "echo", Map.of("text", 42))).text())
                .isEqualTo("argument 'text' must be a string, got Integer");
        var tooLong = tool.call(new ToolCall("4", "echo", Map.of("text", "abcd")));
        assertThat(tooLong.error()).isTrue();
        assertThat(tooLong.text()).contains("4 characters; at most 3");
    }
}
