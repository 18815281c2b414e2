package io.paystream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.cdc.BinlogVersion;
import org.junit.jupiter.api.Test;

class BinlogVersionTest {

    @Test
    void snapshotRowsComeBeforeEveryBinlogRow() {
        assertThat(BinlogVersion.SNAPSHOT).isLessThan(BinlogVersion.of("mysql-bin.000001", 4, 0));
    }

    @Test
    void ordersByFileThenPositionThenRow() {
        long a = BinlogVersion.of("mysql-bin.000001", 4_000_000_000L, 8000);
        long b = BinlogVersion.of("mysql-bin.000002", 4, 0);
        long c = BinlogVersion.of("mysql-bin.000002", 4, 1);
        long d = BinlogVersion.of("mysql-bin.000002", 5, 0);
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(c).isLessThan(d);
    }

    @Test
    void staysPositiveAtTheTopOfItsRange() {
        long top = BinlogVersion.of((1L << 18) - 1, (1L << 32) - 1, (1L << 13) - 1);
        assertThat(top).isPositive();
        assertThat(BinlogVersion.fileIndexOf(top)).isEqualTo((1L << 18) - 1);
        assertThat(BinlogVersion.positionOf(top)).isEqualTo((1L << 32) - 1);
        assertThat(BinlogVersion.rowOf(top)).isEqualTo((1L << 13) - 1);
    }

    @Test
    void refusesWhatItCannotOrderInsteadOfWrapping() {
        assertThatThrownBy(() -> BinlogVersion.of(1L << 18, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinlogVersion.of(1, 1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinlogVersion.of(1, 4, 1L << 13)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinlogVersion.fileIndex("mysql-bin")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheFileSuffix() {
        assertThat(BinlogVersion.fileIndex("mysql-bin.000042")).isEqualTo(42);
        assertThat(BinlogVersion.fileIndex("binlog.1")).isEqualTo(1);
    }
}
