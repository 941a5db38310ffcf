package org.crustyclaw.config.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration reference in Markdown, made from the metatype of the installed bundles:
 * one table per section with each key's type, default and description. docs/configuration.md
 * carries its output ({@code crustyclaw config reference}).
 */
final class ReferenceDoc {

    private ReferenceDoc() {}

    static String render(Schema schema) {
        StringBuilder out = new StringBuilder();
        Map<String, Schema.Ocd> sections = new TreeMap<>();
        schema.byPid().forEach((pid, ocd) -> {
            if (pid.startsWith(ConfigChecker.PID_PREFIX)) {
                sections.put(pid.substring(ConfigChecker.PID_PREFIX.length()), ocd);
            }
        });
        for (var entry : sections.entrySet()) {
            Schema.Ocd ocd = entry.getValue();
            out.append("### `[").append(entry.getKey()).append("]`");
            if (!ocd.name().isEmpty()) {
                out.append(" ").append(ocd.name());
            }
            out.append("\n\n");
            if (!ocd.description().isEmpty()) {
                out.append(ocd.description()).append("\n\n");
            }
            out.append("PID `").append(ocd.pid()).append("`, from `").append(ocd.origin().replaceAll("-[0-9][^!]*\\.jar", ".jar"))
                    .append("`.\n\n");
            out.append("| key | type | default | description |\n|---|---|---|---|\n");
            for (Schema.Attr a : ocd.attributes().values()) {
                String type = a.type().toLowerCase(java.util.Locale.ROOT) + (a.multiple() ? " list" : "");
                if (!a.options().isEmpty()) {
                    type += ": " + String.join(" / ", a.options());
                }
                if (a.min().isPresent() || a.max().isPresent()) {
                    type += " " + a.min().orElse("") + ".." + a.max().orElse("");
                }
                String defaults = a.defaults().isEmpty() ? "" : "`" + String.join(", ", a.defaults()) + "`";
                out.append("| `").append(Keys.snake(a.id())).append("` | ").append(type).append(" | ").append(defaults)
                        .append(" | ").append(a.description().replace("|", "\\|")).append(" |\n");
            }
            out.append('\n');
        }
        if (!schema.handlerSections().isEmpty()) {
            out.append("Sections checked by their owning bundles rather than the metatype: ");
            schema.handlerSections().forEach(s -> out.append("`[").append(s).append("]` "));
            out.append("(see those bundles' documentation).\n");
        }
        return out.toString();
    }
}
