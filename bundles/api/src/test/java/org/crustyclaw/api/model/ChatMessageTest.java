package org.crustyclaw.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.model.ChatMessage.Role;
import org.junit.jupiter.api.Test;

class ChatMessageTest {

    @Test
    void toolResultsAreUntrustedAndUserTextIsTrusted() {
        assertThat(ChatMessage.toolResult("call_1", "file text").untrusted()).isTrue();
        assertThat(ChatMessage.toolResult("call_1", "file text").toolCallId()).contains("call_1");
        assertThat(ChatMessage.user("hi").untrusted()).isFalse();
        assertThat(ChatMessage.user("forwarded", true).untrusted()).isTrue();
        assertThat(ChatMessage.system("be brief").untrusted()).isFalse();
    }

    @Test
    void anAssistantTurnMayCarryOnlyToolCalls() {
        ToolUse call = new ToolUse("c1", "read_file", "{\"path\":\"README.md\"}");
        ChatMessage turn = ChatMessage.assistant("", List.of(call));
        assertThat(turn.toolCalls()).containsExactly(call);
        assertThatThrownBy(() -> ChatMessage.assistant("", List.of()))
                .hasMessageContaining("neither text nor tool calls");
    }

    @Test
    void aTrustedToolTurnOrAToolCallOnAUserTurnIsRefused() {
        assertThatThrownBy(() -> new ChatMessage(Role.TOOL, "x", List.of(), Optional.of("c1"), false))
                .hasMessageContaining("untrusted must be true");
        assertThatThrownBy(() -> new ChatMessage(Role.USER, "x", List.of(new ToolUse("c1", "t", "{}")),
                Optional.empty(), false)).hasMessageContaining("only an ASSISTANT turn carries tool calls");
        assertThatThrownBy(() -> new ChatMessage(Role.TOOL, "x", List.of(), Optional.empty(), true))
                .hasMessageContaining("needs the id");
        assertThatThrownBy(() -> new ChatMessage(Role.USER, "x", List.of(), Optional.of("c1"), false))
                .hasMessageContaining("c1");
    }

    @Test
    void eventsAndUsageNameTheBadValue() {
        assertThatThrownBy(() -> new Usage(-1, 0, 0)).hasMessageContaining("input -1");
        assertThatThrownBy(() -> new ToolUse(" ", "t", "{}")).hasMessageContaining("blank");
        assertThatThrownBy(() -> new ChatEvent.TextDelta("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new ChatEvent.Done(Usage.NONE, "")).hasMessageContaining("stop reason");
        assertThatThrownBy(() -> new ChatRequest(" ", List.of(ChatMessage.user("x")), List.of(), 10))
                .hasMessageContaining("model is blank");
    }
}
