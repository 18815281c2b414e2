package io.paystream.jobs.mapping;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * One field's converter, compiled from its {@link FieldSource} for one table schema: the column is
 * resolved to its schema {@link Field} once (no lookup by name per row), value maps become arrays or
 * hash maps built once, and a zone's rules are fetched once. A value it cannot convert throws
 * {@link IllegalArgumentException} with a reason; the deserializer turns that into a dead letter.
 */
final class BoundField {
    /** Integer codes below this are looked up in an array. */
    private static final int SMALL_CODES = 256;

    private final FieldSource source;
    private final String name;
    /** The schema field of the column; null for a constant or computed field. */
    private final Field field;
    /** How DATETIME values of the column are stored: ms, µs or ns of the wall clock. */
    private final long wallDivisor;

    private final Object[] smallCodes;
    private final Map<Long, Object> largeCodes;
    private final Map<String, Object> textCodes;
    private final Object defaultEnum;
    private final ZoneRules zone;
    private final Field[] hashed;

    BoundField(FieldSource source, String table, Schema rowSchema) {
        this.source = source;
        this.name = table + "." + (source.column != null ? source.column : source.field.key);
        this.field = source.column == null ? null : fieldOf(rowSchema, source.column, table);
        this.wallDivisor = field == null ? 1 : wallDivisor(field.schema().name());
        this.zone = source.zone == null ? null : source.zone.getRules();
        this.hashed = new Field[source.computeFrom.size()];
        for (int i = 0; i < hashed.length; i++) {
            hashed[i] = fieldOf(rowSchema, source.computeFrom.get(i), table);
        }
        if (source.field.kind == ShopField.Kind.ENUM) {
            this.smallCodes = new Object[SMALL_CODES];
            this.largeCodes = new HashMap<>();
            this.textCodes = new HashMap<>();
            compileCodes(source);
            this.defaultEnum = source.defaultValue == null ? null : enumNamed(source.defaultValue);
        } else {
            this.smallCodes = null;
            this.largeCodes = null;
            this.textCodes = null;
            this.defaultEnum = null;
        }
    }

    private static Field fieldOf(Schema rowSchema, String column, String table) {
        Field f = rowSchema.field(column);
        if (f == null) {
            throw new IllegalArgumentException("column " + table + "." + column + " is not in the table's binlog rows");
        }
        return f;
    }

    private void compileCodes(FieldSource s) {
        Map<String, String> values = s.values;
        if (values.isEmpty()) {
            for (Object e : source.field.values.getEnumConstants()) {
                textCodes.put(((Enum<?>) e).name(), e);
            }
            return;
        }
        values.forEach((from, to) -> {
            Object e = enumNamed(to);
            textCodes.put(from, e);
            Long code = parseLongOrNull(from);
            if (code != null && code >= 0 && code < SMALL_CODES) {
                smallCodes[code.intValue()] = e;
            } else if (code != null) {
                largeCodes.put(code, e);
            }
        });
    }

    private Object enumNamed(String n) {
        for (Object e : source.field.values.getEnumConstants()) {
            if (((Enum<?>) e).name().equals(n)) {
                return e;
            }
        }
        throw new IllegalStateException(n + " is not a value of " + source.field.values.getSimpleName());
    }

    private static Long parseLongOrNull(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long wallDivisor(String schemaName) {
        if ("io.debezium.time.MicroTimestamp".equals(schemaName)) {
            return 1000;
        }
        if ("io.debezium.time.NanoTimestamp".equals(schemaName)) {
            return 1_000_000;
        }
        return 1;
    }

    private Object raw(Struct s) {
        return field == null ? null : s.get(field);
    }

    /** A whole-number id: an integer column, or text of decimal digits such as an order number. */
    long key(Struct s) {
        Object v = raw(s);
        if (v == null) {
            if (source.defaultValue != null) {
                return Long.parseLong(source.defaultValue);
            }
            throw new IllegalArgumentException(name + " is NULL");
        }
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        if (v instanceof String) {
            return digits((String) v);
        }
        throw new IllegalArgumentException(name + " holds " + v.getClass().getSimpleName() + ", not an id");
    }

    private long digits(String text) {
        int n = text.length();
        if (n == 0 || n > 18) {
            throw new IllegalArgumentException(name + " '" + text + "' is not an id of 1 to 18 decimal digits");
        }
        long out = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(name + " '" + text + "' is not an id of 1 to 18 decimal digits");
            }
            out = out * 10 + (c - '0');
        }
        return out;
    }

    int integer(Struct s) {
        Integer v = optionalInteger(s);
        if (v == null) {
            throw new IllegalArgumentException(name + " is NULL");
        }
        return v;
    }

    /** An integer, or null when the column is NULL (or absent) and there is no default. */
    Integer optionalInteger(Struct s) {
        Object v = raw(s);
        if (v == null) {
            return source.defaultValue == null ? null : Integer.valueOf(source.defaultValue);
        }
        if (v instanceof Number) {
            return ((Number) v).intValue();
        }
        throw new IllegalArgumentException(name + " holds " + v.getClass().getSimpleName() + ", not a whole number");
    }

    /** Text, or the default, or null. */
    String text(Struct s) {
        Object v = raw(s);
        if (v == null) {
            return source.defaultValue;
        }
        return v instanceof String ? (String) v : String.valueOf(v);
    }

    /** Money in fen, exactly: yuan with fractions of a fen, or fen with a fraction, are refused. */
    long money(Struct s) {
        Object v = raw(s);
        if (v == null) {
            if (source.defaultValue != null) {
                return cents(new BigDecimal(source.defaultValue));
            }
            throw new IllegalArgumentException(name + " is NULL");
        }
        if (source.unit == FieldSource.Unit.FEN) {
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            BigDecimal d = v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString());
            try {
                return d.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(name + " " + d.toPlainString() + " is not a whole number of fen");
            }
        }
        return cents(v instanceof BigDecimal ? (BigDecimal) v : new BigDecimal(v.toString()));
    }

    private long cents(BigDecimal yuan) {
        try {
            return yuan.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " " + yuan.toPlainString() + " is not a whole number of fen");
        }
    }

    /** Epoch milliseconds; 0 when the column is NULL. */
    long time(Struct s) {
        Object v = raw(s);
        if (v == null) {
            return 0L;
        }
        if (v instanceof String) {
            return utcMillis((String) v); // TIMESTAMP: an instant already
        }
        if (v instanceof Long || v instanceof Integer) {
            long n = ((Number) v).longValue();
            switch (source.unit) {
                case EPOCH_SECONDS:
                    return n * 1000;
                case EPOCH_MILLIS:
                    return n;
                default:
                    return wallClockToEpochMillis(Math.floorDiv(n, wallDivisor));
            }
        }
        if (v instanceof java.util.Date) {
            return ((java.util.Date) v).getTime();
        }
        throw new IllegalArgumentException(
                name + " has an unexpected time value " + v.getClass().getSimpleName());
    }

    /**
     * Epoch milliseconds of a TIMESTAMP as Debezium writes it ({@code 2026-11-27T02:00:00.5Z}: UTC,
     * 0 to 9 fraction digits), read without {@link Instant#parse} (the slowest step of a contract
     * row, MappingBenchmark); anything else goes to {@code Instant.parse}.
     */
    static long utcMillis(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return Instant.parse(t).toEpochMilli();
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int millis = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n > 30) {
                return Instant.parse(t).toEpochMilli();
            }
            for (int i = 20; i < 23; i++) {
                millis = millis * 10 + (i < n - 1 ? digit(t, i) : 0);
            }
            for (int i = 23; i < n - 1; i++) {
                digit(t, i); // further digits are below a millisecond, but must be digits
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return Instant.parse(t).toEpochMilli(); // out of range: let java.time explain
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + digit(t, i);
        }
        return v;
    }

    private static int digit(String t, int i) {
        char c = t.charAt(i);
        if (c < '0' || c > '9') {
            throw new IllegalArgumentException("not a timestamp: " + t);
        }
        return c - '0';
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /**
     * A DATETIME's wall-clock reading (as Debezium hands it over: epoch ms of the reading taken as
     * UTC) to the instant it means in the field's zone. The common case costs two offset lookups
     * and a look at the previous transition; a reading in a daylight-saving gap or overlap takes
     * java.time's rules (in an overlap, the earlier offset: 02:30 on the night Berlin's clocks go
     * back is 02:30 CEST).
     */
    long wallClockToEpochMillis(long wallMs) {
        if (zone == null) {
            return wallMs;
        }
        int first = zone.getOffset(Instant.ofEpochMilli(wallMs)).getTotalSeconds();
        long candidate = wallMs - first * 1000L;
        int second = zone.getOffset(Instant.ofEpochMilli(candidate)).getTotalSeconds();
        if (first == second) {
            // The later offset fits; in the hour after the clocks went back the earlier one fits too.
            ZoneOffsetTransition back = zone.previousTransition(Instant.ofEpochMilli(candidate + 1));
            if (back != null && back.isOverlap()) {
                long overlapMs = (back.getOffsetBefore().getTotalSeconds()
                                - back.getOffsetAfter().getTotalSeconds())
                        * 1000L;
                if (candidate - back.toEpochSecond() * 1000L < overlapMs) {
                    return wallMs - back.getOffsetBefore().getTotalSeconds() * 1000L;
                }
            }
            return candidate;
        }
        LocalDateTime local = LocalDateTime.ofEpochSecond(
                Math.floorDiv(wallMs, 1000), (int) Math.floorMod(wallMs, 1000) * 1_000_000, ZoneOffset.UTC);
        return ZonedDateTime.ofLocal(local, source.zone, null).toInstant().toEpochMilli();
    }

    /** One of paystream's values, through the value map; an unmapped value is refused with its reason. */
    @SuppressWarnings("unchecked")
    <E extends Enum<E>> E enumValue(Struct s) {
        Object v = raw(s);
        Object e;
        if (v == null) {
            e = defaultEnum;
            if (e == null) {
                throw new IllegalArgumentException(name + " is NULL");
            }
        } else if (v instanceof String) {
            e = textCodes.get(v);
        } else if (v instanceof Number) {
            long code = ((Number) v).longValue();
            e = code >= 0 && code < SMALL_CODES ? smallCodes[(int) code] : largeCodes.get(code);
        } else if (v instanceof Boolean) {
            // A TINYINT(1) read as a boolean would have lost codes above 1; the source reads it as
            // a number (tinyInt1isBit=false), so this only meets a real BOOLEAN column.
            e = smallCodes[((Boolean) v) ? 1 : 0];
        } else {
            e = null;
        }
        if (e == null) {
            throw new IllegalArgumentException("unknown " + source.field.key + " '" + v + "' in " + name
                    + ": not in the mapping's values"
                    + (source.values.isEmpty() ? " (the column must hold paystream's own names)" : ""));
        }
        return (E) e;
    }

    /** The SHA-256 hex of the listed columns' values (text, joined by a unit separator), or null if all are NULL. */
    String sha256(Struct s, MessageDigest digest) {
        boolean any = false;
        digest.reset();
        for (int i = 0; i < hashed.length; i++) {
            Object v = s.get(hashed[i]);
            if (i > 0) {
                digest.update((byte) 0x1f);
            }
            if (v != null) {
                any = true;
                digest.update(String.valueOf(v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : v)
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return any ? HexFormat.of().formatHex(digest.digest()) : null;
    }

    boolean isComputed() {
        return hashed.length > 0;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
