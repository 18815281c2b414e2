package io.paystream.soak.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.paystream.sandbox.traffic.ChannelTruth;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka outputs against the channels' ground truth: each settled payment's outcome exactly
 * once, nothing the channel did not settle, every command and alert id once, and every garbage
 * record dead-lettered.
 */
public final class OutputChecks {
    private final Violations violations;
    private long checked;

    public OutputChecks(Violations violations) {
        this.violations = violations;
    }

    public long checked() {
        return checked;
    }

    /**
     * {@code payment.results}: a SUCCESS the channel settled (same amount), a FAILED it failed
     * once, a CLOSED it closed; no outcome of a payment twice; every payment the channel settled
     * has its SUCCESS, or (the schedule ran out) a {@code LOST_PAYMENT_EXTERNAL} alert.
     */
    public void results(
            List<ChannelTruth> truths,
            List<TopicContents.Message> results,
            List<TopicContents.Message> requery,
            List<TopicContents.Message> alerts) {
        Map<String, ChannelTruth> byPayment = new HashMap<>();
        truths.forEach(t -> byPayment.put(t.paymentId(), t));
        Set<String> seen = new HashSet<>();
        Set<String> succeeded = new HashSet<>();
        for (TopicContents.Message m : results) {
            checked++;
            JsonNode r = m.json();
            if (r == null) {
                violations.add("payment.results: unreadable record", m.value());
                continue;
            }
            String paymentId = r.path("paymentId").asText();
            String status = r.path("status").asText();
            if (!seen.add(paymentId + "/" + status)) {
                violations.add("payment.results: an outcome published twice", paymentId + " " + status);
            }
            ChannelTruth t = byPayment.get(paymentId);
            if (t == null) {
                violations.add("payment.results: outcome of a payment the channels never saw", m.value());
                continue;
            }
            boolean settledSo = switch (status) {
                case "SUCCESS" ->
                    "SUCCESS".equals(t.outcome())
                            && new BigDecimal(r.path("amount").asText("0"))
                                    .equals(BigDecimal.valueOf(t.amountCents(), 2));
                case "FAILED" -> t.everFailed();
                // Alipay has no failed state: its notification of a failed payment is
                // TRADE_CLOSED, which is CLOSED here (and a retry may pay it later).
                case "CLOSED" -> "CLOSED".equals(t.outcome()) || ("ALIPAY".equals(t.channel()) && t.everFailed());
                default -> false;
            };
            if (!settledSo) {
                violations.add(
                        "payment.results: an outcome the channel did not settle", m.value() + " (channel: " + t + ")");
            }
            if ("SUCCESS".equals(status)) {
                succeeded.add(paymentId);
            }
        }
        Set<String> lostExternal = alerted(alerts, "LOST_PAYMENT_EXTERNAL");
        for (ChannelTruth t : truths) {
            checked++;
            if ("SUCCESS".equals(t.outcome())
                    && !succeeded.contains(t.paymentId())
                    && !lostExternal.contains(t.paymentId())) {
                violations.add(
                        "payment.results: a settled payment neither published nor alerted",
                        t + "\n             paystream wrote of it: " + trail(t.paymentId(), results, requery, alerts));
            }
        }
    }

    /** What paystream published about one payment, for a violation's example. */
    static String trail(
            String paymentId,
            List<TopicContents.Message> results,
            List<TopicContents.Message> requery,
            List<TopicContents.Message> alerts) {
        String[] names = {"payment.results", "payment.requery", "payment.alerts"};
        List<List<TopicContents.Message>> topics = List.of(results, requery, alerts);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            List<String> about = topics.get(i).stream()
                    .filter(m -> m.json() != null
                            && paymentId.equals(m.json().path("paymentId").asText()))
                    .map(m -> m.json()
                            .path("status")
                            .asText(m.json()
                                    .path("type")
                                    .asText(m.json().path("commandId").asText())))
                    .toList();
            b.append(i == 0 ? "" : ", ").append(names[i]).append(' ').append(about);
        }
        return b.toString();
    }

    /** Every id once on the outputs whose ids are deterministic (the consumer's dedup key). */
    public void uniqueIds(String topic, List<TopicContents.Message> messages, String idField) {
        Set<String> ids = new HashSet<>();
        for (TopicContents.Message m : messages) {
            checked++;
            String id = m.json() == null ? null : m.json().path(idField).asText(null);
            if (id == null) {
                violations.add(topic + ": a record without " + idField, String.valueOf(m.value()));
            } else if (!ids.add(id)) {
                violations.add(topic + ": an id published twice", id);
            }
        }
    }

    /** Every garbage record sent is in {@code paystream.dlq}, with the record as received. */
    public void garbageDeadLettered(List<String> garbageSent, List<TopicContents.Message> dlq) {
        Set<String> raws = new HashSet<>();
        for (TopicContents.Message m : dlq) {
            if (m.json() != null) {
                raws.add(m.json().path("raw").asText(""));
            }
        }
        for (String g : garbageSent) {
            checked++;
            String tag = g.substring(g.indexOf("soak-garbage-")).replaceAll("^(soak-garbage-\\d+-\\d+).*$", "$1");
            if (raws.stream().noneMatch(r -> r.contains(tag))) {
                violations.add("paystream.dlq: a garbage record not dead-lettered", tag);
            }
        }
    }

    /** Payment ids (or, without one, order ids) of the alerts of a type. */
    static Set<String> alerted(List<TopicContents.Message> alerts, String type) {
        Set<String> out = new HashSet<>();
        for (TopicContents.Message m : alerts) {
            if (m.json() != null && type.equals(m.json().path("type").asText())) {
                out.add(m.json()
                        .path("paymentId")
                        .asText(m.json().path("orderId").asText()));
            }
        }
        return out;
    }
}
