package io.paystream.sandbox.mapping;

import io.paystream.sandbox.SandboxRefusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The servers of a mapping file as the sandbox runs them. Servers that name no hostname are the
 * sandbox's MariaDB (the {@code mysql.*} settings); if every server names one, the first host named
 * is. Each further host ({@code hostname:port}) gets a local MariaDB of its own, named after its
 * first server. {@link #rewrite} points the file's servers at those local servers, edited in place
 * (comments and lines kept; a missing {@code port:} is the one line added), with the sandbox's CDC
 * user and password, and UTC sessions (every sandbox MariaDB runs at +00:00).
 */
public final class MappingServers {
    /** A local MariaDB: the sandbox's own (index 0) or a further one. */
    public record Host(int index, String name, String declared, List<String> servers) {}

    private record Server(String name, MappingNode options, Map<String, NodeTuple> entries, String declared) {}

    private final String file;
    private final String text;
    private final List<Server> servers = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();
    private final Map<String, Integer> hostOfServer = new LinkedHashMap<>();

    private MappingServers(String file, String text, Node root) {
        this.file = file;
        this.text = text;
        Node serversNode = null;
        if (root instanceof MappingNode m && entries(m).containsKey("servers")) {
            serversNode = entries(m).get("servers").getValueNode();
        }
        if (serversNode instanceof MappingNode sm) {
            for (NodeTuple t : sm.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof MappingNode options) {
                    Map<String, NodeTuple> e = entries(options);
                    String declared = e.containsKey("hostname")
                            ? scalar(e.get("hostname")) + (e.containsKey("port") ? ":" + scalar(e.get("port")) : "")
                            : null;
                    servers.add(new Server(k.getValue(), options, e, declared));
                }
            }
        }
        Map<String, Integer> byDeclared = new LinkedHashMap<>();
        hosts.add(new Host(0, "sandbox", null, new ArrayList<>()));
        boolean someOnSandbox = servers.isEmpty() || servers.stream().anyMatch(s -> s.declared == null);
        for (Server s : servers) {
            int index;
            if (s.declared == null) {
                index = 0;
            } else if (byDeclared.containsKey(s.declared)) {
                index = byDeclared.get(s.declared);
            } else if (!someOnSandbox && byDeclared.isEmpty()) {
                index = 0;
                byDeclared.put(s.declared, 0);
                hosts.set(0, new Host(0, "sandbox", s.declared, hosts.get(0).servers()));
            } else {
                index = hosts.size();
                byDeclared.put(s.declared, index);
                hosts.add(new Host(index, s.name, s.declared, new ArrayList<>()));
            }
            hosts.get(index).servers().add(s.name);
            hostOfServer.put(s.name, index);
        }
    }

    /** Reads the file's servers section; a file that is not YAML is refused naming it. */
    public static MappingServers parse(String file, String text) {
        try {
            Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(text));
            return new MappingServers(file, text, root);
        } catch (YAMLException e) {
            throw new SandboxRefusal("--mapping " + file + ": not a YAML file: " + e.getMessage());
        }
    }

    /** The sandbox's MariaDB first, then one per further host. */
    public List<Host> hosts() {
        return hosts;
    }

    /** The local MariaDB of a server of the mapping (servers it does not name are the sandbox's). */
    public int hostOf(String server) {
        return hostOfServer.getOrDefault(server, 0);
    }

    /**
     * The file with every server pointed at its local MariaDB: {@code ports.get(i)} is host i's
     * port ({@code ports.get(0)}, the sandbox's, is also the {@code mysql.port} setting).
     */
    public Rewritten rewrite(List<Integer> ports, String username, String passwordFile) {
        List<Edit> edits = new ArrayList<>();
        int added = 0;
        for (Server s : servers) {
            int host = hostOfServer.get(s.name);
            NodeTuple hostname = s.entries.get("hostname");
            if (hostname != null) {
                edits.add(replaceValue(hostname, "127.0.0.1"));
                NodeTuple port = s.entries.get("port");
                if (port != null) {
                    edits.add(replaceValue(port, String.valueOf(ports.get(host))));
                } else if (host != 0) {
                    int at = index(hostname.getValueNode().getEndMark().getIndex());
                    if (s.options.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
                        edits.add(new Edit(at, at, ", port: " + ports.get(host)));
                    } else {
                        int column = hostname.getKeyNode().getStartMark().getColumn();
                        edits.add(new Edit(at, at, "\n" + " ".repeat(column) + "port: " + ports.get(host)));
                        added++;
                    }
                }
            }
            if (s.entries.containsKey("username")) {
                edits.add(replaceValue(s.entries.get("username"), username));
            }
            NodeTuple env = s.entries.get("password-env");
            if (env != null) {
                Node k = env.getKeyNode();
                edits.add(new Edit(
                        index(k.getStartMark().getIndex()), index(k.getEndMark().getIndex()), "password-file"));
                edits.add(replaceValue(env, quoted(passwordFile)));
            }
            if (s.entries.containsKey("password-file")) {
                edits.add(replaceValue(s.entries.get("password-file"), quoted(passwordFile)));
            }
            if (s.entries.containsKey("session-time-zone")) {
                edits.add(replaceValue(s.entries.get("session-time-zone"), "UTC"));
            }
        }
        edits.sort((a, b) -> Integer.compare(b.from, a.from));
        StringBuilder out = new StringBuilder(text);
        for (Edit e : edits) {
            out.replace(e.from, e.to, e.with);
        }
        return new Rewritten(out.toString(), added);
    }

    /** The mapping text as the sandbox runs it, and how many lines were added (a {@code port:} each). */
    public record Rewritten(String text, int linesAdded) {}

    private record Edit(int from, int to, String with) {}

    private Edit replaceValue(NodeTuple t, String with) {
        Node v = t.getValueNode();
        return new Edit(index(v.getStartMark().getIndex()), index(v.getEndMark().getIndex()), with);
    }

    /** SnakeYAML counts code points; the text is indexed by chars. */
    private int index(int codePoints) {
        return text.offsetByCodePoints(0, codePoints);
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String scalar(NodeTuple t) {
        return t.getValueNode() instanceof ScalarNode s ? s.getValue() : "?";
    }

    private static Map<String, NodeTuple> entries(MappingNode m) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                out.put(k.getValue(), t);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return file;
    }
}
