package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.functions.callbacks.AddressRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceAddressTest {
    private static final AddressRules PROXIES = GatewayOptions.cidrs("10.0.0.0/8, 127.0.0.1, ::1");

    @Test
    void anUntrustedPeerIsTheSourceWhateverItsHeadersSay() throws Exception {
        assertThat(SourceAddress.resolve("101.226.103.7", List.of("1.2.3.4"), "5.6.7.8", PROXIES))
                .isEqualTo("101.226.103.7");
    }

    @Test
    void aTrustedProxyGivesTheRightMostUntrustedHop() throws Exception {
        assertThat(SourceAddress.resolve("10.0.0.5", List.of("6.6.6.6, 101.226.103.7", "10.0.0.9"), null, PROXIES))
                .as("hops written by the client, left of what the outer proxy saw, do not count")
                .isEqualTo("101.226.103.7");
        assertThat(SourceAddress.resolve("0:0:0:0:0:0:0:1", List.of("2001:db8::7"), null, PROXIES))
                .isEqualTo("2001:db8::7");
        assertThat(SourceAddress.resolve("127.0.0.1", List.of("10.0.0.1, 10.0.0.2"), null, PROXIES))
                .as("only proxies: the left-most")
                .isEqualTo("10.0.0.1");
    }

    @Test
    void xRealIpServesWhenThereIsNoForwardedFor() throws Exception {
        assertThat(SourceAddress.resolve("127.0.0.1", List.of(), "110.75.130.4", PROXIES))
                .isEqualTo("110.75.130.4");
        assertThat(SourceAddress.resolve("127.0.0.1", List.of(), null, PROXIES)).isEqualTo("127.0.0.1");
    }

    @Test
    void aHopThatIsNoAddressIsRefused() {
        assertThatThrownBy(() -> SourceAddress.resolve("127.0.0.1", List.of("unknown"), null, PROXIES))
                .isInstanceOf(SourceAddress.BadForwardingException.class)
                .hasMessageContaining("'unknown'");
        assertThatThrownBy(() -> SourceAddress.resolve("127.0.0.1", List.of(), "example.com", PROXIES))
                .isInstanceOf(SourceAddress.BadForwardingException.class);
    }
}
