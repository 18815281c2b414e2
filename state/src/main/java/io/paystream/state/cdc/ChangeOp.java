package io.paystream.state.cdc;

/** What happened to a row, as Debezium names it. */
public enum ChangeOp {
    /** A row read by the initial snapshot ({@code r}). */
    READ,
    /** A row inserted after the snapshot ({@code c}). */
    CREATE,
    /** A row updated ({@code u}): both images are present. */
    UPDATE,
    /** A row deleted ({@code d}): only the before image is present. */
    DELETE;

    public static ChangeOp fromDebezium(String code) {
        switch (code) {
            case "r":
                return READ;
            case "c":
                return CREATE;
            case "u":
                return UPDATE;
            case "d":
                return DELETE;
            default:
                throw new IllegalArgumentException("unknown change op '" + code + "'");
        }
    }
}
