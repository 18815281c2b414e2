package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.Test;

class OrderBulkTest {
    private static final String ALL_APPLIED =
            "{\"took\":3,\"errors\":false,\"items\":[{\"index\":{\"_index\":\"orders\",\"_id\":\"7\",\"status\":201}}]}";
    private static final String ONE_STALE_ONE_REFUSED_ONE_DELETE_OF_NOTHING = "{\"took\":5,\"errors\":true,\"items\":["
            + "{\"index\":{\"_index\":\"orders\",\"_id\":\"7\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"[7]: version conflict\",\"index\":\"orders\"}}},"
            + "{\"index\":{\"_index\":\"orders\",\"_id\":\"8\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [total]\",\"caused_by\":{\"type\":\"number_format_exception\"}}}},"
            + "{\"delete\":{\"_index\":\"orders\",\"_id\":\"9\",\"_version\":4,\"result\":\"not_found\",\"status\":404}}]}";

    private static OrderDocumentWrite upsert(long orderId, long version) {
        OrderDocument d = new OrderDocument();
        d.orderId = orderId;
        return OrderDocumentWrite.upsert(d, version, 0);
    }

    @Test
    void writesEachOrderAsAnExternallyVersionedActionInNdjson() throws IOException {
        OrderBulk bulk = new OrderBulk("orders");
        bulk.add(upsert(7, 1200), "{\"orderId\":7}".getBytes(StandardCharsets.UTF_8));
        bulk.add(OrderDocumentWrite.delete(9, 1300, 0), null);

        String body = EntityUtils.toString(bulk.request().getEntity());

        assertThat(body)
                .isEqualTo(
                        "{\"index\":{\"_index\":\"orders\",\"_id\":\"7\",\"version\":1200,\"version_type\":\"external_gte\"}}\n"
                                + "{\"orderId\":7}\n"
                                + "{\"delete\":{\"_index\":\"orders\",\"_id\":\"9\",\"version\":1300,\"version_type\":\"external_gte\"}}\n");
        assertThat(bulk.sizeInBytes()).isEqualTo(body.length());
        assertThat(bulk.request().getEndpoint()).isEqualTo("/_bulk");
    }

    @Test
    void anAnswerWithoutErrorsIsReadNoFurther() throws IOException {
        assertThat(OrderBulk.items(ALL_APPLIED.getBytes(StandardCharsets.UTF_8), 1))
                .isNull();
    }

    @Test
    void eachFailedItemKeepsItsStatusAndReasonAndADeleteOfNothingIsApplied() throws IOException {
        OrderBulk.Item[] items =
                OrderBulk.items(ONE_STALE_ONE_REFUSED_ONE_DELETE_OF_NOTHING.getBytes(StandardCharsets.UTF_8), 3);

        assertThat(items[0].status).isEqualTo(409);
        assertThat(BulkOutcome.ofItem(items[0].status)).isEqualTo(BulkOutcome.STALE);
        assertThat(items[1].status).isEqualTo(400);
        assertThat(items[1].error).isEqualTo("mapper_parsing_exception: failed to parse field [total]");
        assertThat(items[2].status).isEqualTo(404);
        assertThat(items[2].error).as("not_found is no error").isNull();
    }

    @Test
    void anAnswerWithOtherThanOneItemPerWriteIsUnreadable() {
        assertThatThrownBy(() -> OrderBulk.items(
                        ONE_STALE_ONE_REFUSED_ONE_DELETE_OF_NOTHING.getBytes(StandardCharsets.UTF_8), 4))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("3 items for the 4 sent");
        assertThatThrownBy(() -> OrderBulk.items("<html>".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(IOException.class);
    }
}
