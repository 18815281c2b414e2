package io.paystream.queryworker;

import static io.paystream.queryworker.WorkerHarness.CHANNELS;
import static io.paystream.queryworker.WorkerHarness.EMULATORS;
import static io.paystream.queryworker.WorkerHarness.paid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.AbstractHttpClient;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import io.paystream.channels.MerchantKeys;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.QueryFault;
import io.paystream.channels.RefundFacts;
import java.net.URI;
import java.util.Base64;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The channels' official Java SDKs as the reference client of the query emulators the worker is
 * tested against: the SDK's own request signing is accepted by the emulator, and the emulator's
 * signed answers are accepted (and forged ones refused) by the SDK's own verification. So the
 * emulators speak the channels' published protocols, not only the worker's reading of them.
 * (UnionPay publishes no SDK on Maven Central.)
 */
class OfficialSdkReferenceIT {
    private static final java.util.List<String> WECHAT_HEADERS = java.util.List.of(
            "Wechatpay-Timestamp",
            "Wechatpay-Nonce",
            "Wechatpay-Serial",
            "Wechatpay-Signature",
            "Wechatpay-Signature-Type",
            "Request-ID");
    private final MerchantKeys merchant = CHANNELS.merchant();

    @Test
    void theWechatPaySdkQueriesTheEmulatorAndVerifiesItsSignedAnswer() {
        PaymentFacts f = paid("P-sdk-wx-" + System.nanoTime(), 4321, "SUCCESS");
        EMULATORS.wechat().faults((id, n) -> QueryFault.NONE).rateLimit(0);
        NativePayService sdk = wechatSdk();
        QueryOrderByOutTradeNoRequest q = new QueryOrderByOutTradeNoRequest();
        q.setMchid(CHANNELS.wechat().mchId());
        q.setOutTradeNo(f.paymentId());
        Transaction t = sdk.queryOrderByOutTradeNo(q);
        assertThat(t.getOutTradeNo()).isEqualTo(f.paymentId());
        assertThat(t.getTransactionId()).isEqualTo(f.channelTxnId());
        assertThat(t.getTradeState().name()).isEqualTo("SUCCESS");
        assertThat(t.getAmount().getTotal()).isEqualTo(4321);

        EMULATORS.wechat().faults((id, n) -> id.equals(f.paymentId()) ? QueryFault.BAD_SIGNATURE : QueryFault.NONE);
        assertThatThrownBy(() -> sdk.queryOrderByOutTradeNo(q)).isInstanceOf(ValidationException.class);
        EMULATORS.wechat().faults((id, n) -> QueryFault.NONE);
    }

    @Test
    void theAlipaySdkQueriesTheEmulatorAndVerifiesItsSignedAnswer() throws Exception {
        PaymentFacts f = paid("P-sdk-ali-" + System.nanoTime(), 1999, "SUCCESS");
        EMULATORS.alipay().faults((id, n) -> QueryFault.NONE).rateLimit(0);
        DefaultAlipayClient sdk = new DefaultAlipayClient(
                EMULATORS.workerSettings().get("channel.alipay.gateway-url"),
                CHANNELS.alipay().appId(),
                Base64.getEncoder()
                        .encodeToString(merchant.alipayAppKey().getPrivate().getEncoded()),
                "json",
                "utf-8",
                Base64.getEncoder()
                        .encodeToString(
                                CHANNELS.alipay().alipayKey().getPublic().getEncoded()),
                "RSA2");
        AlipayTradeQueryRequest q = new AlipayTradeQueryRequest();
        q.setBizContent("{\"out_trade_no\":\"" + f.paymentId() + "\"}");
        AlipayTradeQueryResponse r = sdk.execute(q);
        assertThat(r.isSuccess()).as(r.getBody()).isTrue();
        assertThat(r.getTradeStatus()).isEqualTo("TRADE_SUCCESS");
        assertThat(r.getTotalAmount()).isEqualTo("19.99");
        assertThat(r.getTradeNo()).isEqualTo(f.channelTxnId());
        assertThat(r.getSendPayDate()).isNotNull();

        EMULATORS.alipay().faults((id, n) -> id.equals(f.paymentId()) ? QueryFault.BAD_SIGNATURE : QueryFault.NONE);
        assertThatThrownBy(() -> sdk.execute(q)).isInstanceOf(AlipayApiException.class);
        EMULATORS.alipay().faults((id, n) -> QueryFault.NONE);
    }

    @Test
    void theWechatPaySdkQueriesARefundOfTheEmulatorAndVerifiesItsSignedAnswer() {
        RefundFacts f = WorkerHarness.refunded("R-sdk-wx-" + System.nanoTime(), "P-sdk-wx-r", 1200, "SUCCESS");
        EMULATORS.wechat().faults((id, n) -> QueryFault.NONE).rateLimit(0);
        RefundService sdk = new RefundService.Builder().httpClient(wechatHttp()).build();
        QueryByOutRefundNoRequest q = new QueryByOutRefundNoRequest();
        q.setOutRefundNo(f.refundId());
        Refund r = sdk.queryByOutRefundNo(q);
        assertThat(r.getOutRefundNo()).isEqualTo(f.refundId());
        assertThat(r.getRefundId()).isEqualTo(f.channelRefundId());
        assertThat(r.getStatus().name()).isEqualTo("SUCCESS");
        assertThat(r.getAmount().getRefund()).isEqualTo(1200L);
        assertThat(r.getSuccessTime()).isNotNull();

        EMULATORS.wechat().faults((id, n) -> id.equals(f.refundId()) ? QueryFault.BAD_SIGNATURE : QueryFault.NONE);
        assertThatThrownBy(() -> sdk.queryByOutRefundNo(q)).isInstanceOf(ValidationException.class);
        EMULATORS.wechat().faults((id, n) -> QueryFault.NONE);
    }

    @Test
    void theAlipaySdkQueriesARefundOfTheEmulatorAndVerifiesItsSignedAnswer() throws Exception {
        RefundFacts f = WorkerHarness.refunded("R-sdk-ali-" + System.nanoTime(), "P-sdk-ali-r", 2050, "SUCCESS");
        EMULATORS.alipay().faults((id, n) -> QueryFault.NONE).rateLimit(0);
        DefaultAlipayClient sdk = alipaySdk();
        AlipayTradeFastpayRefundQueryRequest q = new AlipayTradeFastpayRefundQueryRequest();
        q.setBizContent("{\"out_trade_no\":\"" + f.paymentId() + "\",\"out_request_no\":\"" + f.refundId()
                + "\",\"query_options\":[\"gmt_refund_pay\"]}");
        AlipayTradeFastpayRefundQueryResponse r = sdk.execute(q);
        assertThat(r.isSuccess()).as(r.getBody()).isTrue();
        assertThat(r.getRefundStatus()).isEqualTo("REFUND_SUCCESS");
        assertThat(r.getRefundAmount()).isEqualTo("20.50");
        assertThat(r.getOutRequestNo()).isEqualTo(f.refundId());
        assertThat(r.getGmtRefundPay()).isNotNull();

        EMULATORS.alipay().faults((id, n) -> id.equals(f.refundId()) ? QueryFault.BAD_SIGNATURE : QueryFault.NONE);
        assertThatThrownBy(() -> sdk.execute(q)).isInstanceOf(AlipayApiException.class);
        EMULATORS.alipay().faults((id, n) -> QueryFault.NONE);
    }

    private DefaultAlipayClient alipaySdk() {
        return new DefaultAlipayClient(
                EMULATORS.workerSettings().get("channel.alipay.gateway-url"),
                CHANNELS.alipay().appId(),
                Base64.getEncoder()
                        .encodeToString(merchant.alipayAppKey().getPrivate().getEncoded()),
                "json",
                "utf-8",
                Base64.getEncoder()
                        .encodeToString(
                                CHANNELS.alipay().alipayKey().getPublic().getEncoded()),
                "RSA2");
    }

    private NativePayService wechatSdk() {
        return new NativePayService.Builder().httpClient(wechatHttp()).build();
    }

    /** The SDK aims at api.mch.weixin.qq.com; its OkHttp client is pointed at the emulator instead. */
    private AbstractHttpClient wechatHttp() {
        URI emulator = URI.create(EMULATORS.wechat().baseUrl());
        RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
                .merchantId(CHANNELS.wechat().mchId())
                .privateKey(merchant.wechatKey().getPrivate())
                .merchantSerialNumber(merchant.wechatSerial())
                .publicKey(CHANNELS.wechat().platformKey().getPublic())
                .publicKeyId(CHANNELS.wechat().serial())
                .apiV3Key(CHANNELS.wechat().apiV3Key())
                .build();
        OkHttpClient ok = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    HttpUrl to = chain.request()
                            .url()
                            .newBuilder()
                            .scheme("http")
                            .host(emulator.getHost())
                            .port(emulator.getPort())
                            .build();
                    okhttp3.Response r =
                            chain.proceed(chain.request().newBuilder().url(to).build());
                    // JDK's HttpServer sends header names as "Wechatpay-timestamp" (HTTP names are
                    // case-insensitive); the SDK looks them up case-sensitively, as WeChat spells them.
                    okhttp3.Headers.Builder h = new okhttp3.Headers.Builder();
                    for (String name : r.headers().names()) {
                        String canonical = WECHAT_HEADERS.stream()
                                .filter(name::equalsIgnoreCase)
                                .findFirst()
                                .orElse(name);
                        r.headers(name).forEach(v -> h.add(canonical, v));
                    }
                    return r.newBuilder().headers(h.build()).build();
                })
                .build();
        return new DefaultHttpClientBuilder().config(config).okHttpClient(ok).build();
    }
}
