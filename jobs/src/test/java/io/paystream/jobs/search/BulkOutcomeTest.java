package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.rest.RestStatus;
import org.junit.jupiter.api.Test;

class BulkOutcomeTest {

    @Test
    void aVersionConflictIsOlderDataNotAFailure() {
        assertThat(BulkOutcome.ofItem(RestStatus.CONFLICT)).isEqualTo(BulkOutcome.STALE);
    }

    @Test
    void overloadUnavailabilityAndBlocksAreRetried() {
        for (RestStatus s : new RestStatus[] {
            RestStatus.TOO_MANY_REQUESTS,
            RestStatus.SERVICE_UNAVAILABLE,
            RestStatus.INTERNAL_SERVER_ERROR,
            RestStatus.GATEWAY_TIMEOUT,
            RestStatus.FORBIDDEN
        }) {
            assertThat(BulkOutcome.ofItem(s)).as(s.name()).isEqualTo(BulkOutcome.RETRY);
        }
    }

    @Test
    void aDocumentTheMappingRefusesIsADeadLetter() {
        assertThat(BulkOutcome.ofItem(RestStatus.BAD_REQUEST)).isEqualTo(BulkOutcome.REJECTED);
        assertThat(BulkOutcome.ofItem(RestStatus.NOT_FOUND)).isEqualTo(BulkOutcome.REJECTED);
    }

    @Test
    void anUnreachableNodeIsRetriedAndRefusedCredentialsFailTheJob() {
        assertThat(BulkOutcome.ofRequest(new ConnectException("Connection refused")))
                .isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(new SocketTimeoutException())).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(new ElasticsearchStatusException("busy", RestStatus.TOO_MANY_REQUESTS)))
                .isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(new ElasticsearchStatusException("down", RestStatus.SERVICE_UNAVAILABLE)))
                .isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(new ElasticsearchStatusException("who?", RestStatus.UNAUTHORIZED)))
                .isEqualTo(BulkOutcome.FATAL);
        assertThat(BulkOutcome.ofRequest(new ElasticsearchStatusException("no", RestStatus.FORBIDDEN)))
                .isEqualTo(BulkOutcome.FATAL);
    }
}
