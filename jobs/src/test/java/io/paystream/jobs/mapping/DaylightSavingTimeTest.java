package io.paystream.jobs.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * DATETIME readings in a zone with daylight saving time mean what java.time says they mean, as
 * docs/mapping.md and {@link BoundField} promise: also in the hour that happens twice when the
 * clocks go back (the earlier offset), which the fast path used to read with the later one.
 */
class DaylightSavingTimeTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void everyWallClockReadingAroundBothTransitionsIsReadAsJavaTimeReadsIt() {
        Schema schema = SchemaBuilder.struct()
                .field(
                        "local",
                        SchemaBuilder.int64().name("io.debezium.time.Timestamp").build())
                .build();
        List<String> problems = new ArrayList<>();
        FieldSource source = FieldSource.parse(
                ShopField.PAYMENT_UPDATED_AT,
                MappingNode.parse("t.yaml", "{column: local, zone: Europe/Berlin}"),
                null,
                problems);
        assertThat(problems).isEmpty();
        BoundField field = new BoundField(source, "t", schema);
        List<String> wrong = new ArrayList<>();
        // Spring forward (02:00 CET -> 03:00 CEST) and fall back (03:00 CEST -> 02:00 CET), every
        // quarter hour and the milliseconds around each hour, from three hours before to three after.
        for (String night : new String[] {"2025-03-30T00:00", "2025-10-26T00:00", "2026-10-25T00:00"}) {
            LocalDateTime start = LocalDateTime.parse(night);
            for (int minute = 0; minute <= 6 * 60; minute += 15) {
                for (long deltaMs : new long[] {-1, 0, 1, 500}) {
                    LocalDateTime wall = start.plusMinutes(minute).plusNanos(deltaMs * 1_000_000);
                    if (wall.isBefore(start)) {
                        continue;
                    }
                    long wallMs = wall.toInstant(ZoneOffset.UTC).toEpochMilli();
                    long expected = ZonedDateTime.ofLocal(wall, BERLIN, null)
                            .toInstant()
                            .toEpochMilli();
                    long read = field.time(new Struct(schema).put("local", wallMs));
                    if (read != expected) {
                        wrong.add(wall + ": " + Instant.ofEpochMilli(read) + ", not " + Instant.ofEpochMilli(expected));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        // The repeated hour: 02:30 is read as CEST (00:30 UTC), the earlier of its two offsets.
        long twoThirty = LocalDateTime.parse("2025-10-26T02:30")
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
        assertThat(field.time(new Struct(schema).put("local", twoThirty)))
                .isEqualTo(Instant.parse("2025-10-26T00:30:00Z").toEpochMilli());
    }
}
