package io.paystream.functions.callbacks;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Source-address rules as nginx applies them: {@code allow CIDR} and {@code deny CIDR} checked in
 * order, the first match decides, and what matches nothing is denied. A plain CIDR means
 * {@code allow}. IPv4 and IPv6. Example: {@code deny 101.226.103.66/32, 101.226.103.0/24}.
 */
public final class AddressRules implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final class Rule implements Serializable {
        private static final long serialVersionUID = 1L;
        final boolean allow;
        final byte[] network;
        final int prefix;

        Rule(boolean allow, byte[] network, int prefix) {
            this.allow = allow;
            this.network = network;
            this.prefix = prefix;
        }

        boolean matches(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Rule> rules;
    private final String text;

    private AddressRules(List<Rule> rules, String text) {
        this.rules = rules;
        this.text = text;
    }

    /** Parses comma-separated rules; throws with the offending entry named. */
    public static AddressRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text != null) {
            for (String raw : text.split(",")) {
                String entry = raw.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                boolean allow = true;
                if (entry.startsWith("allow ")) {
                    entry = entry.substring(6).strip();
                } else if (entry.startsWith("deny ")) {
                    allow = false;
                    entry = entry.substring(5).strip();
                }
                if (entry.equals("all")) {
                    rules.add(new Rule(allow, new byte[4], 0));
                    rules.add(new Rule(allow, new byte[16], 0));
                    continue;
                }
                int slash = entry.indexOf('/');
                String host = slash < 0 ? entry : entry.substring(0, slash);
                byte[] network = literal(host);
                if (network == null) {
                    throw new IllegalArgumentException("address rule '" + raw.strip() + "': not an IP address or CIDR");
                }
                int prefix;
                try {
                    prefix = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("address rule '" + raw.strip() + "': bad prefix length");
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("address rule '" + raw.strip() + "': prefix out of range");
                }
                rules.add(new Rule(allow, network, prefix));
            }
        }
        return new AddressRules(rules, text);
    }

    /** Whether {@code address} (an IP literal) may send notifications. Anything unparsable is denied. */
    public boolean allows(String address) {
        byte[] a = address == null ? null : literal(address.strip());
        if (a == null) {
            return false;
        }
        for (Rule r : rules) {
            if (r.matches(a)) {
                return r.allow;
            }
        }
        return false;
    }

    /** Parses an IP literal without ever resolving a name. */
    static byte[] literal(String host) {
        if (host.isEmpty()) {
            return null;
        }
        boolean v4 = host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = host.indexOf(':') >= 0
                && host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (v4) {
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3) {
                    return null;
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (v6) {
            try {
                return InetAddress.getByName(host).getAddress(); // a literal: no lookup happens
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
