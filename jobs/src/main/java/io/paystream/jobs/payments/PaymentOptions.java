package io.paystream.jobs.payments;

import static io.paystream.jobs.config.PaystreamOptions.secret;
import static org.apache.flink.configuration.ConfigOptions.key;

import io.paystream.functions.payments.LostPaymentOptions;
import io.paystream.functions.refunds.LostRefundOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Settings of the payments job: lost-payment schedules, callback verification, memory. */
public final class PaymentOptions {
    // --- lost payments (defaults from the business notes) --------------------------------------------
    public static final ConfigOption<String> REQUERY_SCHEDULE = LostPaymentOptions.REQUERY_SCHEDULE;
    public static final ConfigOption<Duration> REQUERY_ANSWER_TIMEOUT = LostPaymentOptions.REQUERY_ANSWER_TIMEOUT;
    public static final ConfigOption<Duration> INTERNAL_TIMEOUT = LostPaymentOptions.INTERNAL_TIMEOUT;
    public static final ConfigOption<String> INTERNAL_SCHEDULE = LostPaymentOptions.INTERNAL_SCHEDULE;
    public static final ConfigOption<Duration> INTERNAL_GIVE_UP_AFTER = LostPaymentOptions.INTERNAL_GIVE_UP_AFTER;
    public static final ConfigOption<Duration> REMEMBER_FOR = LostPaymentOptions.REMEMBER_FOR;
    public static final ConfigOption<Duration> STATE_SAFETY_TTL = LostPaymentOptions.STATE_SAFETY_TTL;
    public static final ConfigOption<Duration> RESTORE_GRACE = LostPaymentOptions.RESTORE_GRACE;

    // --- refunds (the payment watch's answer timeout, row wait and retention apply) --------------------
    public static final ConfigOption<String> REFUND_REQUERY_SCHEDULE = LostRefundOptions.REFUND_REQUERY_SCHEDULE;
    public static final ConfigOption<Duration> REFUND_WINDOW = LostRefundOptions.REFUND_WINDOW;

    // --- callbacks -----------------------------------------------------------------------------------------
    public static final ConfigOption<Duration> REPLAY_WINDOW = key("callbacks.replay-window")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A notification stamped further than this from its receipt is STALE_CALLBACK.");
    public static final ConfigOption<Duration> ROW_WAIT = LostPaymentOptions.ROW_WAIT;
    public static final ConfigOption<String> WECHAT_MCH_ID = key("channel.wechat.mch-id")
            .stringType()
            .noDefaultValue()
            .withDescription("WeChat Pay merchant id (mchid) notifications must carry.");
    public static final ConfigOption<String> WECHAT_APP_ID = key("channel.wechat.app-id")
            .stringType()
            .noDefaultValue()
            .withDescription("WeChat app id of the merchant (informational).");
    public static final ConfigOption<String> WECHAT_PLATFORM_KEYS = key("channel.wechat.platform-keys")
            .stringType()
            .noDefaultValue()
            .withDescription("WeChat Pay platform public keys: serial=/path/key.pem[,serial2=...].");
    public static final ConfigOption<String> WECHAT_APIV3_KEY = secret(key("channel.wechat.apiv3-key")
            .stringType()
            .noDefaultValue()
            .withDescription("The merchant's APIv3 key (secret: PAYSTREAM_CHANNEL_WECHAT_APIV3_KEY)."));
    public static final ConfigOption<String> WECHAT_ALLOWLIST = key("channel.wechat.allowlist")
            .stringType()
            .defaultValue("")
            .withDescription("Source addresses allowed to send WeChat Pay notifications: CIDRs or nginx-style "
                    + "'allow CIDR'/'deny CIDR' rules, first match wins, everything else denied.");
    public static final ConfigOption<String> ALIPAY_APP_ID = key("channel.alipay.app-id")
            .stringType()
            .noDefaultValue()
            .withDescription("Alipay app_id notifications must carry.");
    public static final ConfigOption<String> ALIPAY_PUBLIC_KEY = key("channel.alipay.public-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Path of Alipay's public key (PEM or bare Base64).");
    public static final ConfigOption<String> ALIPAY_ALLOWLIST = key("channel.alipay.allowlist")
            .stringType()
            .defaultValue("")
            .withDescription("Source addresses allowed to send Alipay notifications (as for WeChat Pay).");
    public static final ConfigOption<String> UNIONPAY_MER_ID = key("channel.unionpay.mer-id")
            .stringType()
            .noDefaultValue()
            .withDescription("UnionPay merId notifications must carry.");
    public static final ConfigOption<String> UNIONPAY_PUBLIC_KEYS = key("channel.unionpay.public-keys")
            .stringType()
            .noDefaultValue()
            .withDescription("UnionPay signing public keys: certId=/path/key.pem[,...].");
    public static final ConfigOption<String> UNIONPAY_HMAC_SECRET = secret(
            key("channel.unionpay.hmac-secret")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Shared secret for merchants configured for HMAC-SHA256 (secret: PAYSTREAM_CHANNEL_UNIONPAY_HMAC_SECRET)."));
    public static final ConfigOption<String> UNIONPAY_ALLOWLIST = key("channel.unionpay.allowlist")
            .stringType()
            .defaultValue("")
            .withDescription("Source addresses allowed to send UnionPay notifications (as for WeChat Pay).");
    public static final ConfigOption<String> QUERY_HMAC_KEYS = secret(key("query.hmac-keys")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "The query worker's HMAC secrets: keyId=secret[,...] (secret: PAYSTREAM_QUERY_HMAC_KEYS)."));

    private PaymentOptions() {}
}
