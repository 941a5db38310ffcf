package org.crustyclaw.tool.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.Map;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolContext;
import org.junit.jupiter.api.Test;

class EchoToolTest {

    /** Echo needs neither files nor a sandbox; a call that reached for one would fail. */
    static final ToolContext NO_SANDBOX = new ToolContext() {
        @Override
        public Path workspace() {
            return Path.of("/nonexistent-workspace");
        }

        @Override
        public String taskId() {
            return "test";
        }

        @Override
        public TrustTier tier() {
            return TrustTier.TRUSTED;
        }

        @Override
        public ExecResult exec(List<String> command, Map<String, String> env, Consumer<OutputLine> lines)
                throws SandboxException {
            throw new SandboxException("echo must not run commands: " + command);
        }

        @Override
        public void progress(String line) {
            throw new AssertionError("echo must not stream progress: " + line);
        }

        @Override
        public int maxOutputChars() {
            return 1000;
        }
    };

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
        var result = tool.call(new ToolCall("1", "echo", Map.of("text", "hello")), NO_SANDBOX);
        assertThat(result.error()).isFalse();
        assertThat(result.text()).isEqualTo("> HELLO");
    }

    @Test
    void reconfiguresWithoutRestart() {
        EchoTool tool = new EchoTool(config("", false, 100));
        tool.modified(config("re: ", false, 100));
        assertThat(tool.call(new ToolCall("2", "echo", Map.of("text", "x")), NO_SANDBOX).text()).isEqualTo("re: x");
    }

    @Test
    void refusesWrongTypesAndOverlongText() {
        EchoTool tool = new EchoTool(config("", false, 3));
        assertThat(tool.call(new ToolCall("3", "echo", Map.of("text", 42)), NO_SANDBOX).text())
                .isEqualTo("argument 'text' must be a string, got Integer");
        var tooLong = tool.call(new ToolCall("4", "echo", Map.of("text", "abcd")), NO_SANDBOX);
        assertThat(tooLong.error()).isTrue();
        assertThat(tooLong.text()).contains("4 characters; at most 3");
    }

    @Test
    void declaresThatItChangesNothing() {
        assertThat(new EchoTool(config("", false, 3)).descriptor().sideEffects()).isEqualTo(SideEffects.NONE);
    }
}
