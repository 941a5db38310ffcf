package org.crustyclaw.config.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.config.ConfigRule;
import org.crustyclaw.api.config.ConfigSectionHandler;
import org.crustyclaw.api.config.ConfigService;
import org.crustyclaw.api.config.ReloadResult;
import org.crustyclaw.config.toml.TomlTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Applies {@code crustyclaw.toml} to ConfigAdmin. A reload is all or nothing: the file is
 * parsed, checked against the metatype of every bundle jar and by every section handler, and
 * only a clean file changes anything. Registered as a {@code Runnable} with
 * {@code crustyclaw.signal=HUP}, so the launcher's SIGHUP handler reloads it.
 */
@Component(service = {ConfigService.class, Runnable.class}, immediate = true,
        property = "crustyclaw.signal=HUP")
public final class TomlConfigService implements ConfigService, Runnable {

    static final String SOURCE = "crustyclaw.source";
    private static final System.Logger LOG = System.getLogger(TomlConfigService.class.getName());

    private final ConfigurationAdmin configAdmin;
    private final Path file;
    private final List<Path> schemaDirs;
    private final Path schemaFile;
    private final List<ConfigSectionHandler> handlers = new CopyOnWriteArrayList<>();
    private final List<ConfigRule> rules = new CopyOnWriteArrayList<>();
    private Schema schemaCache;
    private String schemaSignature = "";
    private volatile Applied current = new Applied("", TomlTable.empty(new org.crustyclaw.config.toml.Position("-", 1, 1)), Map.of());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    private record Applied(String text, TomlTable root, Map<String, Map<String, Object>> properties) {}

    @Activate
    public TomlConfigService(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        String home = Objects.requireNonNullElse(context.getProperty("crustyclaw.home"), ".");
        this.file = Path.of(Objects.requireNonNullElse(context.getProperty("crustyclaw.config"), home + "/etc/crustyclaw.toml"));
        this.schemaDirs = List.of(Path.of(home, "bundle"),
                Path.of(Objects.requireNonNullElse(context.getProperty("crustyclaw.deploy.dir"), home + "/deploy")));
        String state = context.getProperty("crustyclaw.state.dir");
        this.schemaFile = state == null ? null : Path.of(state, "cache", "schema.bin");
        ReloadResult first = reload();
        if (first instanceof ReloadResult.Rejected r) {
            LOG.log(Level.ERROR, "configuration " + file + " rejected; running with defaults:\n" + lines(r.problems()));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHandler(ConfigSectionHandler handler) {
        handlers.add(handler);
        Applied now = current;
        if (!now.text().isEmpty() && handler.check(file.toString(), now.text()).isEmpty()) {
            handler.apply(file.toString(), now.text());
        }
    }

    void removeHandler(ConfigSectionHandler handler) {
        handlers.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRule(ConfigRule rule) {
        rules.add(rule);
    }

    void removeRule(ConfigRule rule) {
        rules.remove(rule);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String effective() {
        Applied now = current;
        Schema schema = schema();
        return EffectiveConfig.render(schema, now.properties(), now.root(), handlerSections(schema));
    }

    @Override
    public String reference() {
        return ReferenceDoc.render(schema());
    }

    @Override
    public List<ConfigProblem> validate(Path candidate) {
        return check(candidate).problems;
    }

    @Override
    public synchronized ReloadResult reload() {
        Checked checked = check(file);
        if (!checked.problems.isEmpty()) {
            record("config.rejected", Map.of("file", file.toString(), "problems", String.valueOf(checked.problems.size())));
            return new ReloadResult.Rejected(checked.problems);
        }
        List<String> changed;
        try {
            changed = applyToConfigAdmin(checked.properties);
        } catch (IOException | InvalidSyntaxException e) {
            return new ReloadResult.Rejected(List.of(new ConfigProblem(file.toString(), 0, 0, "",
                    "ConfigAdmin refused the update: " + e.getMessage())));
        }
        for (ConfigSectionHandler h : handlers) {
            h.apply(file.toString(), checked.text);
            changed.add(h.section());
        }
        current = new Applied(checked.text, checked.root, checked.properties);
        record("config.reload", Map.of("file", file.toString(), "changed", String.join(",", changed)));
        return new ReloadResult.Applied(changed);
    }

    /** SIGHUP. */
    @Override
    public void run() {
        ReloadResult result = reload();
        if (result instanceof ReloadResult.Rejected r) {
            LOG.log(Level.ERROR, "SIGHUP: " + file + " rejected, previous configuration stays in force:\n" + lines(r.problems()));
        } else {
            LOG.log(Level.INFO, "SIGHUP: reloaded " + file + ", changed: " + ((ReloadResult.Applied) result).changed());
        }
    }

    private record Checked(String text, TomlTable root, Map<String, Map<String, Object>> properties, List<ConfigProblem> problems) {}

    private Checked check(Path candidate) {
        ConfigFiles.Loaded loaded = ConfigFiles.load(candidate);
        if (loaded instanceof ConfigFiles.Loaded.Failed f) {
            return new Checked("", null, Map.of(), List.of(f.problem()));
        }
        var parsed = (ConfigFiles.Loaded.Parsed) loaded;
        Schema schema = schema();
        ConfigChecker.Result result = ConfigChecker.check(parsed.root(), schema, handlerSections(schema));
        List<ConfigProblem> problems = new ArrayList<>(result.problems());
        for (ConfigSectionHandler h : handlers) {
            problems.addAll(h.check(candidate.toString(), parsed.text()));
        }
        for (ConfigRule r : rules) {
            problems.addAll(r.check(candidate.toString(), parsed.text()));
        }
        return new Checked(parsed.text(), parsed.root(), result.properties(), problems);
    }

    /** The schema, read again only when a jar in bundle/ or deploy/ was added, changed or removed. */
    private synchronized Schema schema() {
        try {
            String signature = Schema.signature(schemaDirs);
            if (!signature.equals(schemaSignature)) {
                // the check before start has usually left the schema of these jars in the state directory
                schemaCache = schemaFile == null ? Schema.fromJars(schemaDirs) : SchemaFile.read(schemaDirs, signature, schemaFile);
                schemaSignature = signature;
            }
            return schemaCache;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundle metatype from " + schemaDirs + ": " + e.getMessage(), e);
        }
    }

    /** Sections bound handlers own, and those bundles declare for handlers not bound yet. */
    private Set<String> handlerSections(Schema schema) {
        Set<String> sections = new TreeSet<>(schema.handlerSections());
        handlers.forEach(h -> sections.add(h.section()));
        return sections;
    }

    /** Updates what changed, deletes what the file no longer has; returns the changed sections. */
    private List<String> applyToConfigAdmin(Map<String, Map<String, Object>> wanted) throws IOException, InvalidSyntaxException {
        List<String> changed = new ArrayList<>();
        Configuration[] existing = configAdmin.listConfigurations("(" + SOURCE + "=crustyclaw.toml)");
        if (existing != null) {
            for (Configuration c : existing) {
                if (!wanted.containsKey(c.getPid())) {
                    c.delete();
                    changed.add(section(c.getPid()));
                }
            }
        }
        for (var entry : wanted.entrySet()) {
            Configuration c = configAdmin.getConfiguration(entry.getKey(), "?");
            Map<String, Object> old = plain(c.getProperties());
            if (!same(old, entry.getValue())) {
                Dictionary<String, Object> props = new Hashtable<>(entry.getValue());
                props.put(SOURCE, "crustyclaw.toml");
                c.update(props);
                changed.add(section(entry.getKey()));
            }
        }
        return changed;
    }

    private static Map<String, Object> plain(Dictionary<String, Object> props) {
        Map<String, Object> map = new HashMap<>();
        if (props != null) {
            for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (!k.equals(Constants.SERVICE_PID) && !k.equals(SOURCE) && !k.equals("service.bundleLocation")) {
                    map.put(k, props.get(k));
                }
            }
        }
        return map;
    }

    private static boolean same(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (var e : a.entrySet()) {
            if (!java.util.Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String section(String pid) {
        return pid.startsWith(ConfigChecker.PID_PREFIX) ? pid.substring(ConfigChecker.PID_PREFIX.length()) : pid;
    }

    private void record(String type, Map<String, String> payload) {
        AuditLog log = audit;
        if (log != null) {
            try {
                log.append(type, "daemon", payload);
            } catch (AuditException e) {
                LOG.log(Level.ERROR, "audit log refused " + type + ": " + e.getMessage());
            }
        }
    }

    static String lines(List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder();
        problems.forEach(p -> out.append("  ").append(p).append('\n'));
        return out.toString();
    }
}
