package io.paystream.gateway;

import io.paystream.functions.callbacks.AddressRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The source address of a notification: the TCP peer, unless the peer is a trusted proxy; then the
 * right-most hop of {@code X-Forwarded-For} that is not a trusted proxy (what the outermost trusted
 * proxy saw; hops further left were written by the client and prove nothing), or {@code X-Real-IP}
 * without an {@code X-Forwarded-For}. A header from an untrusted peer is ignored.
 */
public final class SourceAddress {
    private static final AddressRules ANY_ADDRESS = AddressRules.parse("all");

    private SourceAddress() {}

    /** Thrown when a trusted proxy forwarded a hop that is not an IP address (answered 400). */
    public static final class BadForwardingException extends Exception {
        BadForwardingException(String message) {
            super(message);
        }
    }

    public static String resolve(String peer, List<String> forwardedFor, String realIp, AddressRules trustedProxies)
            throws BadForwardingException {
        if (!trustedProxies.allows(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        if (!hops.isEmpty()) {
            for (int i = hops.size() - 1; i >= 0; i--) {
                String hop = hops.get(i);
                if (!ANY_ADDRESS.allows(hop)) {
                    throw new BadForwardingException("X-Forwarded-For hop '" + shorten(hop) + "' is not an IP address");
                }
                if (!trustedProxies.allows(hop)) {
                    return hop;
                }
            }
            return hops.get(0); // every hop is a trusted proxy: the left-most is the origin
        }
        if (realIp != null && !realIp.isBlank()) {
            if (!ANY_ADDRESS.allows(realIp.strip())) {
                throw new BadForwardingException("X-Real-IP '" + shorten(realIp) + "' is not an IP address");
            }
            return realIp.strip();
        }
        return peer;
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
