package io.paystream.functions.reconcile;

import java.util.List;

/**
 * Splits one bill line into its fields by a single scan (no regex, no {@code String.split}): commas
 * separate; a field opened by a double quote runs to its closing quote ({@code ""} inside is one
 * quote), which neither channel is documented to write but a spreadsheet re-saving a bill does.
 * Each field is cleaned of what the channels put around values: WeChat Pay's leading backtick (so
 * Excel keeps long numbers), Alipay's trailing tab, and surrounding spaces.
 */
final class BillFields {
    private BillFields() {}

    /** Fills {@code out} (cleared first) with the fields of {@code line}; false on an unclosed quote. */
    static boolean split(String line, List<String> out) {
        out.clear();
        int n = line.length();
        int i = 0;
        while (true) {
            if (i < n && line.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        return false;
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            quoted.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        quoted.append(c);
                    }
                }
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                String value = quoted.append(line, i, end).toString();
                out.add(clean(value, 0, value.length()));
                if (comma < 0) {
                    return true;
                }
                i = comma + 1;
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                out.add(clean(line, i, end));
                if (comma < 0) {
                    return true;
                }
                i = comma + 1;
            }
        }
    }

    /** The value between {@code start} and {@code end}, without one leading backtick and the blanks around it. */
    static String clean(String s, int start, int end) {
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        if (start < end && s.charAt(start) == '`') {
            start++;
            while (start < end && isBlank(s.charAt(start))) {
                start++;
            }
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** A line without its byte order mark (a file saved by Windows tools starts with one). */
    static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\u3000';
    }
}
