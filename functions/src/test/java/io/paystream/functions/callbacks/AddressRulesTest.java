package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressRulesTest {

    @Test
    void allowsOnlyListedNetworksAndDeniesTheRest() {
        AddressRules r = AddressRules.parse("101.226.103.0/24, 2001:db8::/32");
        assertThat(r.allows("101.226.103.77")).isTrue();
        assertThat(r.allows("101.226.104.1")).isFalse();
        assertThat(r.allows("2001:db8::1")).isTrue();
        assertThat(r.allows("2001:db9::1")).isFalse();
        assertThat(r.allows("not-an-address")).isFalse();
        assertThat(r.allows("example.com")).isFalse();
        assertThat(r.allows(null)).isFalse();
    }

    @Test
    void appliesRulesInOrderLikeNginx() {
        AddressRules r = AddressRules.parse("deny 101.226.103.66, allow 101.226.103.0/24, deny all");
        assertThat(r.allows("101.226.103.66")).isFalse();
        assertThat(r.allows("101.226.103.67")).isTrue();
        assertThat(AddressRules.parse("allow all").allows("8.8.8.8")).isTrue();
        assertThat(AddressRules.parse("10.0.0.0/7").allows("11.255.255.255")).isTrue();
        assertThat(AddressRules.parse("10.0.0.0/7").allows("12.0.0.0")).isFalse();
    }

    @Test
    void refusesMalformedRules() {
        assertThatThrownBy(() -> AddressRules.parse("101.226.103.0/33")).hasMessageContaining("prefix out of range");
        assertThatThrownBy(() -> AddressRules.parse("somehost/24")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> AddressRules.parse("1.2.3.256")).hasMessageContaining("not an IP address");
    }
}
