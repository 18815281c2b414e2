package io.paystream.queryworker;

import static io.paystream.queryworker.WorkerHarness.EMULATORS;
import static io.paystream.queryworker.WorkerHarness.await;
import static io.paystream.queryworker.WorkerHarness.command;
import static io.paystream.queryworker.WorkerHarness.paid;
import static io.paystream.queryworker.WorkerHarness.readAtLeast;
import static io.paystream.queryworker.WorkerHarness.readUntil;
import static io.paystream.queryworker.WorkerHarness.verified;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.QueryFault;
import io.paystream.channels.RefundFacts;
import io.paystream.functions.callbacks.Verdict;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The query worker against a real Kafka broker and the channels' query emulators (their published
 * request and response formats, signatures checked both ways); every answer it publishes is checked
 * by the payments job's own verifier.
 */
class QueryWorkerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachChannelsAnswerIsPublishedSignedAndAcceptedByThePaymentsJobVerifier() throws Exception {
        WorkerHarness h = new WorkerHarness("channels", 2);
        PaymentFacts wechat = paid(h.payment("wx"), 3550, "SUCCESS");
        PaymentFacts alipay = paid(h.payment("ali"), 1999, "SUCCESS");
        PaymentFacts union = paid(h.payment("up"), 100001, "SUCCESS");
        PaymentFacts wechatClosed = paid(h.payment("wx-closed"), 500, "CLOSED");
        PaymentFacts unionFailed = paid(h.payment("up-failed"), 700, "FAILED");
        String alipayUnknown = h.payment("ali-unknown"); // the channel never saw it
        PaymentFacts unionClosedUnpaid = WorkerHarness.closedUnpaid(h.payment("up-closed"), 900);
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {wechat.paymentId(), command(wechat.paymentId(), "WECHAT", 1)});
        commands.add(new String[] {alipay.paymentId(), command(alipay.paymentId(), "ALIPAY", 1)});
        commands.add(new String[] {union.paymentId(), command(union.paymentId(), "UNIONPAY", 1)});
        commands.add(new String[] {wechatClosed.paymentId(), command(wechatClosed.paymentId(), "WECHAT", 2)});
        commands.add(new String[] {unionFailed.paymentId(), command(unionFailed.paymentId(), "UNIONPAY", 3)});
        commands.add(new String[] {alipayUnknown, command(alipayUnknown, "ALIPAY", 1)});
        commands.add(
                new String[] {unionClosedUnpaid.paymentId(), command(unionClosedUnpaid.paymentId(), "UNIONPAY", 2)});
        try (QueryWorker worker = h.start(Map.of())) {
            h.send(commands);
            Map<String, Verdict> v = verified(readAtLeast(h.results, 7));
            assertThat(v).hasSize(7);
            assertPaid(v.get(wechat.paymentId()), wechat, "WECHAT");
            assertPaid(v.get(alipay.paymentId()), alipay, "ALIPAY");
            assertPaid(v.get(union.paymentId()), union, "UNIONPAY");
            assertThat(v.get(wechatClosed.paymentId()).notification.status).isEqualTo(PaymentStatus.CLOSED);
            assertThat(v.get(unionFailed.paymentId()).notification.status).isEqualTo(PaymentStatus.FAILED);
            assertThat(v.get(unionFailed.paymentId()).notification.amountCents).isEqualTo(700);
            // NOTPAY: verified, but no outcome for the job to apply
            assertThat(v.get(alipayUnknown).notification.status).isNull();
            // A UnionPay payment the user never paid, closed by the shop: no transaction at
            // UnionPay, so no outcome (the soak found FAILED published for such payments).
            assertThat(v.get(unionClosedUnpaid.paymentId()).notification.status).isNull();

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + worker.httpPort();
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("paystream_query_worker_queries_total{channel=\"WECHAT\",outcome=\"SUCCESS\"} 1")
                    .contains("paystream_query_worker_answers_published_total{channel=\"UNIONPAY\"} 3")
                    .contains("paystream_query_worker_in_flight 0")
                    .contains("paystream_query_worker_query_latency_seconds_count{channel=\"ALIPAY\"} 2");
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void eachChannelsRefundAnswerIsPublishedSignedAndAcceptedByThePaymentsJobVerifier() throws Exception {
        WorkerHarness h = new WorkerHarness("refunds", 2);
        RefundFacts wechat = WorkerHarness.refunded("R-" + h.payment("wx"), h.payment("wx"), 1000, "SUCCESS");
        RefundFacts alipay = WorkerHarness.refunded("R-" + h.payment("ali"), h.payment("ali"), 2050, "SUCCESS");
        RefundFacts union = WorkerHarness.refunded("R-" + h.payment("up"), h.payment("up"), 30001, "SUCCESS");
        RefundFacts wechatAbnormal =
                WorkerHarness.refunded("R-" + h.payment("wx-ab"), h.payment("wx-ab"), 500, "ABNORMAL");
        RefundFacts wechatClosed = WorkerHarness.refunded("R-" + h.payment("wx-cl"), h.payment("wx-cl"), 600, "CLOSED");
        RefundFacts unionFailed = WorkerHarness.refunded("R-" + h.payment("up-f"), h.payment("up-f"), 700, "CLOSED");
        RefundFacts alipayPending =
                WorkerHarness.refunded("R-" + h.payment("ali-p"), h.payment("ali-p"), 800, "PROCESSING");
        RefundFacts unionPending =
                WorkerHarness.refunded("R-" + h.payment("up-p"), h.payment("up-p"), 900, "PROCESSING");
        // A refund WeChat Pay never heard of (RESOURCE_NOT_EXISTS): no outcome either.
        RefundFacts wechatUnknown = RefundFacts.succeeded(
                "R-" + h.payment("wx-unknown"), h.payment("wx-unknown"), "T-x", 100, 100, java.time.Instant.now());
        List<RefundFacts> all = List.of(
                wechat,
                alipay,
                union,
                wechatAbnormal,
                wechatClosed,
                unionFailed,
                alipayPending,
                unionPending,
                wechatUnknown);
        List<String> channels =
                List.of("WECHAT", "ALIPAY", "UNIONPAY", "WECHAT", "WECHAT", "UNIONPAY", "ALIPAY", "UNIONPAY", "WECHAT");
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            commands.add(
                    new String[] {all.get(i).refundId(), WorkerHarness.refundCommand(all.get(i), channels.get(i), 1)});
        }
        // The same command twice (a replay): queried once. A command without refundId: a dead letter.
        commands.add(new String[] {wechat.refundId(), commands.get(0)[1]});
        commands.add(new String[] {"broken", "{\"commandId\":\"x:1:1\",\"paymentId\":\"P\",\"channel\":\"WECHAT\"}"});
        PaymentFacts payment = paid(h.payment("paid"), 4200, "SUCCESS");
        try (QueryWorker worker = h.start(Map.of())) {
            h.sendRefunds(commands);
            h.send(payment.paymentId(), command(payment.paymentId(), "ALIPAY", 1));
            List<ConsumerRecord<String, String>> answers = readAtLeast(h.results, all.size() + 1);
            List<ConsumerRecord<String, String>> refundAnswers =
                    answers.stream().filter(r -> isRefundAnswer(r.value())).collect(Collectors.toList());
            assertThat(refundAnswers).as("each refund answered once").hasSize(all.size());
            Map<String, Verdict> v = WorkerHarness.verifiedRefunds(refundAnswers);
            assertRefunded(v.get(wechat.refundId()).refund, wechat, "WECHAT", wechat.channelRefundId());
            assertRefunded(v.get(alipay.refundId()).refund, alipay, "ALIPAY", null);
            assertRefunded(v.get(union.refundId()).refund, union, "UNIONPAY", union.channelRefundId());
            assertThat(v.get(wechatAbnormal.refundId()).refund.status).isEqualTo(RefundStatus.FAILED);
            assertThat(v.get(wechatClosed.refundId()).refund.status).isEqualTo(RefundStatus.CLOSED);
            assertThat(v.get(unionFailed.refundId()).refund.status).isEqualTo(RefundStatus.FAILED);
            assertThat(v.get(unionFailed.refundId()).refund.refundAmountCents).isEqualTo(700L);
            for (RefundFacts pending : List.of(alipayPending, unionPending, wechatUnknown)) {
                RefundNotification n = v.get(pending.refundId()).refund;
                assertThat(n.status)
                        .as("PROCESSING: no outcome for " + pending.refundId())
                        .isNull();
                assertThat(n.source).isEqualTo(RefundNotification.QUERY);
            }
            JsonNode payload = JSON.readTree(
                    JSON.readTree(refundAnswers.get(0).value()).get("payload").asText());
            assertThat(payload.get("kind").asText()).isEqualTo("REFUND");
            assertThat(payload.get("commandId").asText()).endsWith(":1");
            assertThat(verified(answers.stream()
                                    .filter(r -> !isRefundAnswer(r.value()))
                                    .collect(Collectors.toList()))
                            .get(payment.paymentId())
                            .notification
                            .status)
                    .isEqualTo(PaymentStatus.SUCCESS);
            List<ConsumerRecord<String, String>> dead = readAtLeast(h.dlq, 1);
            assertThat(dead.get(0).value())
                    .contains("malformed refund.requery command")
                    .contains("refundId");
            await(
                    "the duplicate counted",
                    Duration.ofSeconds(10),
                    () -> worker.metrics().counter("duplicates_total", "") == 1);
            assertThat(EMULATORS.wechat().queriesOf(wechat.refundId())).isEqualTo(1);
            assertThat(EMULATORS.alipay().queriesOf(alipay.refundId())).isEqualTo(1);
            assertThat(EMULATORS.unionpay().queriesOf(union.refundId())).isEqualTo(1);
        }
    }

    private static boolean isRefundAnswer(String envelope) {
        try {
            return JSON.readTree(JSON.readTree(envelope).get("payload").asText())
                    .path("kind")
                    .asText("")
                    .equals("REFUND");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefunded(RefundNotification n, RefundFacts f, String channel, String channelRefundId) {
        assertThat(n.refundId).isEqualTo(f.refundId());
        assertThat(n.paymentId).isEqualTo(f.paymentId());
        assertThat(n.channel.name()).isEqualTo(channel);
        assertThat(n.status).isEqualTo(RefundStatus.SUCCESS);
        assertThat(n.channelRefundId).isEqualTo(channelRefundId);
        assertThat(n.refundAmountCents).isEqualTo(f.amountCents());
        assertThat(n.refundedAt).isEqualTo(f.refundedAt().toEpochMilli());
        assertThat(n.source).isEqualTo(RefundNotification.QUERY);
        assertThat(n.notifyId).startsWith(f.refundId() + ":");
    }

    private static void assertPaid(Verdict v, PaymentFacts f, String channel) {
        assertThat(v.notification.paymentId).isEqualTo(f.paymentId());
        assertThat(v.notification.channel.name()).isEqualTo(channel);
        assertThat(v.notification.status).isEqualTo(PaymentStatus.SUCCESS);
        assertThat(v.notification.channelTxnId).isEqualTo(f.channelTxnId());
        assertThat(v.notification.amountCents).isEqualTo(f.amountCents());
        assertThat(v.notification.paidAt).isEqualTo(f.paidAt().toEpochMilli());
        assertThat(v.notification.notifyId).startsWith(f.paymentId() + ":");
    }

    @Test
    void timeoutsServerErrorsAndRateLimitAnswersAreRetriedWithBackoffUntilAnswered() {
        WorkerHarness h = new WorkerHarness("retries", 1);
        PaymentFacts wechat = paid(h.payment("wx"), 100, "SUCCESS");
        PaymentFacts alipay = paid(h.payment("ali"), 200, "SUCCESS");
        PaymentFacts union = paid(h.payment("up"), 300, "SUCCESS");
        EMULATORS
                .wechat()
                .faults((id, n) -> n == 1
                        ? QueryFault.TIMEOUT
                        : n == 2 ? QueryFault.SERVER_ERROR : n == 3 ? QueryFault.RATE_LIMITED : QueryFault.NONE);
        EMULATORS
                .alipay()
                .faults((id, n) ->
                        n == 1 ? QueryFault.SERVER_ERROR : n == 2 ? QueryFault.RATE_LIMITED : QueryFault.NONE);
        EMULATORS
                .unionpay()
                .faults((id, n) -> n <= 2 ? QueryFault.SERVER_ERROR : n == 3 ? QueryFault.TIMEOUT : QueryFault.NONE);
        try (QueryWorker worker = h.start(Map.of())) {
            List<String[]> commands = new ArrayList<>();
            commands.add(new String[] {wechat.paymentId(), command(wechat.paymentId(), "WECHAT", 1)});
            commands.add(new String[] {alipay.paymentId(), command(alipay.paymentId(), "ALIPAY", 1)});
            commands.add(new String[] {union.paymentId(), command(union.paymentId(), "UNIONPAY", 1)});
            h.send(commands);
            Map<String, Verdict> v = verified(readAtLeast(h.results, 3));
            assertThat(v.keySet()).containsExactlyInAnyOrder(wechat.paymentId(), alipay.paymentId(), union.paymentId());
            assertThat(v.values()).allMatch(x -> x.notification.status == PaymentStatus.SUCCESS);
            assertThat(EMULATORS.wechat().queriesOf(wechat.paymentId())).isEqualTo(4);
            assertThat(EMULATORS.alipay().queriesOf(alipay.paymentId())).isEqualTo(3);
            assertThat(EMULATORS.unionpay().queriesOf(union.paymentId())).isEqualTo(4);
            Metrics m = worker.metrics();
            assertThat(m.counter("retries_total", "channel=\"WECHAT\"")).isEqualTo(3);
            assertThat(m.counter("queries_total", "channel=\"WECHAT\",outcome=\"timeout\""))
                    .isEqualTo(1);
            assertThat(m.counter("queries_total", "channel=\"UNIONPAY\",outcome=\"server_error\""))
                    .isEqualTo(2);
            assertThat(m.counter("rate_limited_total", "channel=\"ALIPAY\"")).isEqualTo(1);
            assertThat(m.counterTotal("dlq_total")).isZero();
        }
    }

    @Test
    void queriesToAChannelStayWithinItsConfiguredRate() {
        WorkerHarness h = new WorkerHarness("rate", 2);
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            PaymentFacts f = paid(h.payment("wx" + i), 100 + i, "SUCCESS");
            commands.add(new String[] {f.paymentId(), command(f.paymentId(), "WECHAT", 1)});
        }
        int before = EMULATORS.wechat().arrivalNanos().size();
        try (QueryWorker worker = h.start(Map.of("query.rate.wechat", "10", "query.rate.burst", "1"))) {
            h.send(commands);
            verified(readAtLeast(h.results, 30));
            List<Long> arrivals = EMULATORS.wechat().arrivalNanos().subList(before, before + 30);
            double seconds = (arrivals.get(29) - arrivals.get(0)) / 1e9;
            double rate = 29 / seconds;
            System.out.printf("WeChat Pay saw 30 queries in %.2f s: %.1f/s (limit 10/s)%n", seconds, rate);
            assertThat(rate).isLessThanOrEqualTo(11.0); // 10% for the scheduler's jitter
            assertThat(rate).isGreaterThan(7.0); // the bucket spaces queries; it does not starve them
        }
    }

    @Test
    void aChannelThatRateLimitsIsAskedAgainLaterAndEveryCommandIsAnswered() {
        WorkerHarness h = new WorkerHarness("limited", 1);
        EMULATORS.alipay().rateLimit(5);
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            PaymentFacts f = paid(h.payment("ali" + i), 100 + i, "SUCCESS");
            commands.add(new String[] {f.paymentId(), command(f.paymentId(), "ALIPAY", 1)});
        }
        long limitedBefore = EMULATORS.alipay().rateLimitedAnswers();
        try (QueryWorker worker = h.start(Map.of("query.max-attempts", "20"))) {
            h.send(commands);
            Map<String, Verdict> v = verified(readAtLeast(h.results, 12));
            assertThat(v).hasSize(12);
            assertThat(EMULATORS.alipay().rateLimitedAnswers() - limitedBefore).isPositive();
            assertThat(worker.metrics().counter("rate_limited_total", "channel=\"ALIPAY\""))
                    .isEqualTo(EMULATORS.alipay().rateLimitedAnswers() - limitedBefore);
            assertThat(worker.metrics().counterTotal("dlq_total")).isZero();
        }
    }

    @Test
    void malformedAnswersAndMalformedCommandsGoToTheDlqWithTheirReason() throws Exception {
        WorkerHarness h = new WorkerHarness("malformed", 1);
        PaymentFacts alipay = paid(h.payment("ali"), 100, "SUCCESS");
        PaymentFacts union = paid(h.payment("up"), 200, "SUCCESS");
        PaymentFacts wechat = paid(h.payment("wx"), 300, "SUCCESS");
        PaymentFacts good = paid(h.payment("good"), 400, "SUCCESS");
        EMULATORS.alipay().faults((id, n) -> id.equals(alipay.paymentId()) ? QueryFault.MALFORMED : QueryFault.NONE);
        EMULATORS.unionpay().faults((id, n) -> id.equals(union.paymentId()) ? QueryFault.MALFORMED : QueryFault.NONE);
        EMULATORS.wechat().faults((id, n) -> id.equals(wechat.paymentId()) ? QueryFault.MALFORMED : QueryFault.NONE);
        try (QueryWorker worker = h.start(Map.of())) {
            List<String[]> commands = new ArrayList<>();
            commands.add(new String[] {"junk", "{not json"});
            commands.add(new String[] {"no-id", "{\"paymentId\":\"P-x\",\"channel\":\"WECHAT\"}"});
            commands.add(new String[] {alipay.paymentId(), command(alipay.paymentId(), "ALIPAY", 1)});
            commands.add(new String[] {union.paymentId(), command(union.paymentId(), "UNIONPAY", 1)});
            commands.add(new String[] {wechat.paymentId(), command(wechat.paymentId(), "WECHAT", 1)});
            commands.add(new String[] {"paypal", command(h.payment("pp"), "PAYPAL", 1)});
            commands.add(new String[] {good.paymentId(), command(good.paymentId(), "WECHAT", 1)});
            h.send(commands);
            List<JsonNode> dead = new ArrayList<>();
            for (ConsumerRecord<String, String> r : readAtLeast(h.dlq, 6)) {
                JsonNode d = JSON.readTree(r.value());
                assertThat(r.key()).isEqualTo(d.get("source").asText());
                assertThat(d.get("source").asText()).startsWith("kafka:" + h.requery + "/0@");
                assertThat(d.get("job").asText()).isEqualTo("query-worker");
                assertThat(d.get("timeMs").asLong()).isPositive();
                dead.add(d);
            }
            Map<String, String> reasonByRaw = dead.stream()
                    .collect(Collectors.toMap(
                            d -> d.get("raw").asText(), d -> d.get("reason").asText()));
            assertThat(reasonByRaw.get("{not json")).startsWith("malformed payment.requery command: not JSON");
            assertThat(reasonByRaw.get("{\"paymentId\":\"P-x\",\"channel\":\"WECHAT\"}"))
                    .contains("missing or empty 'commandId'");
            assertThat(reasonOf(reasonByRaw, alipay.paymentId())).startsWith("Alipay answer is not JSON");
            assertThat(reasonOf(reasonByRaw, union.paymentId())).startsWith("UnionPay answer is not a signed form");
            assertThat(reasonOf(reasonByRaw, wechat.paymentId())).startsWith("WeChat Pay answer is not JSON");
            assertThat(reasonOf(reasonByRaw, h.payment("pp"))).contains("channel 'PAYPAL' is not queried");
            // Only the good command is answered (after the others, whose dead letters came first or in between)
            Map<String, Verdict> v = verified(readAtLeast(h.results, 1));
            assertThat(v.keySet()).containsExactly(good.paymentId());
            assertThat(worker.metrics().counter("dlq_total", "reason=\"unusable_answer\""))
                    .isEqualTo(3);
            assertThat(worker.metrics().counter("dlq_total", "reason=\"malformed_command\""))
                    .isEqualTo(2);
            assertThat(worker.healthy()).isTrue();
        }
    }

    private static String reasonOf(Map<String, String> reasonByRaw, String paymentId) {
        return reasonByRaw.entrySet().stream()
                .filter(e -> e.getKey().contains("\"paymentId\":\"" + paymentId + "\""))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for " + paymentId + ": " + reasonByRaw));
    }

    @Test
    void anAnswerWhoseSignatureDoesNotVerifyIsNeverPublished() throws Exception {
        WorkerHarness h = new WorkerHarness("badsig", 1);
        List<PaymentFacts> forged = List.of(
                paid(h.payment("wx"), 100, "SUCCESS"),
                paid(h.payment("ali"), 200, "SUCCESS"),
                paid(h.payment("up"), 300, "SUCCESS"));
        PaymentFacts good = paid(h.payment("good"), 400, "SUCCESS");
        for (String ch : List.of("WECHAT", "ALIPAY", "UNIONPAY")) {
            EMULATORS
                    .of(ch)
                    .faults((id, n) -> id.equals(good.paymentId()) ? QueryFault.NONE : QueryFault.BAD_SIGNATURE);
        }
        try (QueryWorker worker = h.start(Map.of())) {
            List<String[]> commands = new ArrayList<>();
            commands.add(new String[] {
                forged.get(0).paymentId(), command(forged.get(0).paymentId(), "WECHAT", 1)
            });
            commands.add(new String[] {
                forged.get(1).paymentId(), command(forged.get(1).paymentId(), "ALIPAY", 1)
            });
            commands.add(new String[] {
                forged.get(2).paymentId(), command(forged.get(2).paymentId(), "UNIONPAY", 1)
            });
            commands.add(new String[] {good.paymentId(), command(good.paymentId(), "ALIPAY", 1)});
            h.send(commands);
            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<String, String> r : readAtLeast(h.dlq, 3)) {
                reasons.add(JSON.readTree(r.value()).get("reason").asText());
            }
            assertThat(reasons)
                    .anyMatch(r -> r.startsWith("WeChat Pay answer signature does not verify"))
                    .anyMatch(r -> r.startsWith("Alipay answer sign does not verify"))
                    .anyMatch(r -> r.startsWith("UnionPay answer signature does not verify"));
            await(
                    "the good answer",
                    Duration.ofSeconds(20),
                    () -> worker.metrics().counterTotal("answers_published_total") == 1);
            Map<String, Verdict> v = verified(readAtLeast(h.results, 1));
            assertThat(v.keySet()).containsExactly(good.paymentId());
            for (PaymentFacts f : forged) {
                assertThat(EMULATORS.of(channelOf(f, forged)).queriesOf(f.paymentId()))
                        .as("not retried")
                        .isEqualTo(1);
            }
        }
    }

    private static String channelOf(PaymentFacts f, List<PaymentFacts> forged) {
        return List.of("WECHAT", "ALIPAY", "UNIONPAY").get(forged.indexOf(f));
    }

    @Test
    void aDuplicateCommandIsQueriedOnce() {
        WorkerHarness h = new WorkerHarness("dupes", 1);
        PaymentFacts f = paid(h.payment("wx"), 100, "SUCCESS");
        PaymentFacts other = paid(h.payment("other"), 200, "SUCCESS");
        String cmd = command(f.paymentId(), "UNIONPAY", 2);
        try (QueryWorker worker = h.start(Map.of())) {
            List<String[]> commands = new ArrayList<>();
            commands.add(new String[] {f.paymentId(), cmd});
            commands.add(new String[] {f.paymentId(), cmd});
            commands.add(new String[] {f.paymentId(), cmd});
            commands.add(new String[] {other.paymentId(), command(other.paymentId(), "UNIONPAY", 2)});
            h.send(commands);
            Map<String, Verdict> v = verified(readAtLeast(h.results, 2));
            assertThat(v).containsOnlyKeys(f.paymentId(), other.paymentId());
            await(
                    "the duplicates counted",
                    Duration.ofSeconds(10),
                    () -> worker.metrics().counter("duplicates_total", "") == 2);
            assertThat(EMULATORS.unionpay().queriesOf(f.paymentId())).isEqualTo(1);
            assertThat(worker.metrics().counter("answers_published_total", "channel=\"UNIONPAY\""))
                    .isEqualTo(2);
        }
    }

    @Test
    void aCommandThatKeepsFailingGoesToTheDlqAfterTheConfiguredAttempts() throws Exception {
        WorkerHarness h = new WorkerHarness("giveup", 1);
        PaymentFacts f = paid(h.payment("wx"), 100, "SUCCESS");
        EMULATORS.wechat().faults((id, n) -> QueryFault.SERVER_ERROR);
        try (QueryWorker worker = h.start(Map.of("query.max-attempts", "3"))) {
            h.send(f.paymentId(), command(f.paymentId(), "WECHAT", 1));
            JsonNode d = JSON.readTree(readAtLeast(h.dlq, 1).get(0).value());
            assertThat(d.get("reason").asText()).startsWith("gave up after 3 attempts: WeChat Pay 500");
            assertThat(EMULATORS.wechat().queriesOf(f.paymentId())).isEqualTo(3);
            assertThat(worker.metrics().counter("dlq_total", "reason=\"gave_up\""))
                    .isEqualTo(1);
        }
    }

    @Test
    void aCrashBeforeTheCommitIsFollowedByARequeryOnRestartAndNoCommandIsLost() {
        WorkerHarness h = new WorkerHarness("crash", 2);
        List<String[]> commands = new ArrayList<>();
        List<PaymentFacts> facts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PaymentFacts f = paid(h.payment("c" + i), 1000 + i, "SUCCESS");
            facts.add(f);
            commands.add(new String[] {
                f.paymentId(),
                command(f.paymentId(), List.of("WECHAT", "ALIPAY", "UNIONPAY").get(i % 3), 1)
            });
        }
        // The first worker's queries go unanswered (held open); it dies with all of them in flight.
        for (String ch : List.of("WECHAT", "ALIPAY", "UNIONPAY")) {
            EMULATORS.of(ch).faults((id, n) -> n == 1 ? QueryFault.TIMEOUT : QueryFault.NONE);
        }
        QueryWorker first = h.start(Map.of("query.request-timeout", "30s"));
        h.send(commands);
        await(
                "every command queried once",
                Duration.ofSeconds(20),
                () -> facts.stream()
                        .allMatch(f -> EMULATORS.alipay().queriesOf(f.paymentId())
                                        + EMULATORS.wechat().queriesOf(f.paymentId())
                                        + EMULATORS.unionpay().queriesOf(f.paymentId())
                                == 1));
        first.crash();
        assertThat(first.metrics().counterTotal("answers_published_total")).isZero();

        try (QueryWorker second = h.start(Map.of())) {
            Map<String, Verdict> v = verified(readAtLeast(h.results, 8));
            assertThat(v.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            facts.stream().map(PaymentFacts::paymentId).collect(Collectors.toList()));
            for (PaymentFacts f : facts) {
                assertThat(v.get(f.paymentId()).notification.amountCents).isEqualTo(f.amountCents());
            }
            await(
                    "the second worker's commit",
                    Duration.ofSeconds(10),
                    () -> second.metrics().counter("commits_total", "") > 0);
        }
        // Everything is committed now: a third worker queries only a command sent after it started.
        PaymentFacts late = paid(h.payment("late"), 77, "SUCCESS");
        EMULATORS.alipay().faults((id, n) -> QueryFault.NONE);
        try (QueryWorker third = h.start(Map.of())) {
            h.send(late.paymentId(), command(late.paymentId(), "ALIPAY", 1));
            readUntil(
                    h.results,
                    Duration.ofSeconds(30),
                    l -> l.stream().anyMatch(r -> r.key().equals(late.paymentId())));
            await("nothing in flight", Duration.ofSeconds(10), () -> third.inFlight() == 0);
            assertThat(third.metrics().counterTotal("queries_total")).isEqualTo(1);
        }
    }
}
