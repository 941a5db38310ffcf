package org.crustyclaw.provider.openai.wire;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes Chat Completions chunk streams the way OpenAI's servers cut them. */
public final class Chunks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Chunks() {}

    /** A text reply: role chunk, content in pieces of up to 4 characters, finish chunk, usage chunk, [DONE]. */
    public static String text(String model, String text) {
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = chunk(model);
        delta(first).put("role", "assistant").put("content", "");
        chunks.add(first);
        for (int i = 0; i < text.length(); i += 4) {
            ObjectNode c = chunk(model);
            delta(c).put("content", text.substring(i, Math.min(text.length(), i + 4)));
            chunks.add(c);
        }
        chunks.add(finish(model, "stop"));
        chunks.add(usage(model, 12, Math.max(1, text.length() / 4)));
        return sse(chunks);
    }

    /**
     * Tool calls: each call's first fragment carries id, type and name with empty arguments; the
     * argument text follows in pieces of up to 5 characters, the calls' fragments interleaved.
     */
    public static String toolCalls(String model, List<OpenAiWireServer.Call> calls, List<String> ids) {
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = chunk(model);
        delta(first).put("role", "assistant").putNull("content");
        chunks.add(first);
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode c = chunk(model);
            ObjectNode call = delta(c).putArray("tool_calls").addObject().put("index", i).put("id", ids.get(i)).put("type", "function");
            call.putObject("function").put("name", calls.get(i).name()).put("arguments", "");
            chunks.add(c);
        }
        int longest = calls.stream().mapToInt(c -> c.argumentsJson().length()).max().orElse(0);
        for (int at = 0; at < longest; at += 5) {
            for (int i = 0; i < calls.size(); i++) {
                String args = calls.get(i).argumentsJson();
                if (at < args.length()) {
                    ObjectNode c = chunk(model);
                    delta(c).putArray("tool_calls").addObject().put("index", i).putObject("function")
                            .put("arguments", args.substring(at, Math.min(args.length(), at + 5)));
                    chunks.add(c);
                }
            }
        }
        chunks.add(finish(model, "tool_calls"));
        chunks.add(usage(model, 20, 9 * calls.size()));
        return sse(chunks);
    }

    static ObjectNode chunk(String model) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-wire").put("object", "chat.completion.chunk").put("created", 1700000000)
                .put("model", model).put("system_fingerprint", "fp_wire");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        c.putNull("usage");
        return c;
    }

    static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.path("choices").get(0).path("delta");
    }

    static ObjectNode finish(String model, String reason) {
        ObjectNode c = chunk(model);
        ((ObjectNode) c.path("choices").get(0)).put("finish_reason", reason);
        return c;
    }

    static ObjectNode usage(String model, int prompt, int completion) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-wire").put("object", "chat.completion.chunk").put("created", 1700000000)
                .put("model", model).put("system_fingerprint", "fp_wire");
        c.putArray("choices");
        c.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return c;
    }

    static String sse(List<ObjectNode> chunks) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode c : chunks) {
            out.append("data: ").append(c.toString()).append("\n\n");
        }
        return out.append("data: [DONE]\n\n").toString();
    }
}
