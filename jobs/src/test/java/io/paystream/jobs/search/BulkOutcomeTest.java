package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class BulkOutcomeTest {

    @Test
    void aVersionConflictIsOlderDataNotAFailure() {
        assertThat(BulkOutcome.ofItem(409)).isEqualTo(BulkOutcome.STALE);
    }

    @Test
    void overloadUnavailabilityAndBlocksAreRetried() {
        for (int status : new int[] {429, 503, 500, 504, 403}) {
            assertThat(BulkOutcome.ofItem(status)).as("%d", status).isEqualTo(BulkOutcome.RETRY);
        }
    }

    @Test
    void aDocumentTheMappingRefusesIsADeadLetter() {
        assertThat(BulkOutcome.ofItem(400)).isEqualTo(BulkOutcome.REJECTED);
        assertThat(BulkOutcome.ofItem(404)).isEqualTo(BulkOutcome.REJECTED);
    }

    @Test
    void anUnreachableNodeIsRetriedAndRefusedCredentialsFailTheJob() {
        assertThat(BulkOutcome.ofRequest(new ConnectException("Connection refused")))
                .isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequest(new SocketTimeoutException())).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequestStatus(429)).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequestStatus(503)).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequestStatus(408)).isEqualTo(BulkOutcome.RETRY);
        assertThat(BulkOutcome.ofRequestStatus(401)).isEqualTo(BulkOutcome.FATAL);
        assertThat(BulkOutcome.ofRequestStatus(403)).isEqualTo(BulkOutcome.FATAL);
    }
}
