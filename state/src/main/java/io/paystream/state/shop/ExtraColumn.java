package io.paystream.state.shop;

import java.util.Objects;

/**
 * One extra order column the order documents carry (the mapping's {@code search-fields}): its name
 * in the document and its value as text. A POJO (not a map entry) so Flink never falls back to Kryo.
 */
public class ExtraColumn {
    public String name;
    public String value;

    public ExtraColumn() {}

    public ExtraColumn(String name, String value) {
        this.name = name;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtraColumn c && Objects.equals(name, c.name) && Objects.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value);
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
