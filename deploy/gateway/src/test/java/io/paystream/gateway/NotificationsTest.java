package io.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationsTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private static final PaymentFacts FACTS = new PaymentFacts("P-1", "T-1", 1234, "SUCCESS", Instant.now());

    @Test
    void theNotificationIdIsTheOneTheSimulatedChannelsName() {
        CallbackEnvelope wechat = CHANNELS.wechat().notification(FACTS, Instant.now(), "101.226.103.1", Forgery.NONE);
        CallbackEnvelope alipay = CHANNELS.alipay().notification(FACTS, Instant.now(), "110.75.130.1", Forgery.NONE);
        CallbackEnvelope unionpay =
                CHANNELS.unionpay().notification(FACTS, Instant.now(), "101.231.204.1", Forgery.NONE, true);
        assertThat(Notifications.notifyId(Endpoint.Channel.WECHAT, wechat.body)).isEqualTo(wechat.notifyId);
        assertThat(Notifications.notifyId(Endpoint.Channel.ALIPAY, alipay.body)).isEqualTo(alipay.notifyId);
        assertThat(Notifications.notifyId(Endpoint.Channel.UNIONPAY, unionpay.body))
                .isEqualTo(unionpay.notifyId);
    }

    @Test
    void aBodyNamingNoIdGetsAUniqueOne() {
        assertThat(Notifications.notifyId(Endpoint.Channel.WECHAT, "not json")).startsWith("gw-");
        assertThat(Notifications.notifyId(Endpoint.Channel.WECHAT, "{\"resource\":{\"id\":\"inner\"}}"))
                .startsWith("gw-");
        assertThat(Notifications.notifyId(Endpoint.Channel.ALIPAY, "notify_id=a&notify_id=b"))
                .startsWith("gw-");
        assertThat(Notifications.notifyId(Endpoint.Channel.UNIONPAY, "queryId=Q1&orderId=P-2"))
                .isEqualTo("Q1");
        assertThat(Notifications.notifyId(Endpoint.Channel.UNIONPAY, "orderId=P-2&txnTime=20261201101010"))
                .isEqualTo("P-2-20261201101010");
        assertThat(Notifications.notifyId(Endpoint.Channel.ALIPAY, "x=1"))
                .isNotEqualTo(Notifications.notifyId(Endpoint.Channel.ALIPAY, "x=1"));
    }

    @Test
    void theEnvelopeIsTheContractsJson() throws Exception {
        byte[] e = Notifications.envelope(
                Endpoint.Channel.WECHAT,
                "EV-1",
                "101.226.103.1",
                42L,
                Map.of("Wechatpay-Nonce", "n"),
                "{\"id\":\"EV-1\",\"summary\":\"支付成功\"}");
        JsonNode n = new ObjectMapper().readTree(e);
        assertThat(n.path("channel").asText()).isEqualTo("WECHAT");
        assertThat(n.path("notifyId").asText()).isEqualTo("EV-1");
        assertThat(n.path("sourceAddress").asText()).isEqualTo("101.226.103.1");
        assertThat(n.path("receivedAt").asLong()).isEqualTo(42L);
        assertThat(n.path("headers").path("Wechatpay-Nonce").asText()).isEqualTo("n");
        assertThat(n.path("body").asText()).isEqualTo("{\"id\":\"EV-1\",\"summary\":\"支付成功\"}");
    }
}
