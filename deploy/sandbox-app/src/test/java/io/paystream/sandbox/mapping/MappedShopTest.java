package io.paystream.sandbox.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.sandbox.SandboxRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedShopTest {
    private static final Path EXAMPLES = Path.of("../../docs/examples/mall");
    private static final Map<String, String> MYSQL = Map.of(
            "mysql.hostname", "127.0.0.1", "mysql.port", "3306", "mysql.username", "paystream", "mysql.password", "?");

    @Test
    void theMallExampleNeedsOneMoreMariaDbForItsPaymentCenter(@TempDir Path work) {
        MappedShop shop = MappedShop.prepare(
                EXAMPLES.resolve("mall.yaml"),
                List.of(EXAMPLES.resolve("mall-shop.sql"), EXAMPLES.resolve("mall-paycenter.sql")),
                work,
                MYSQL);
        assertThat(shop.moreMariaDbs()).containsExactly("paycenter");
    }

    @Test
    void aMappingsOwnProblemsAreRefusedBeforeAnyServerStartsNamingItsLines(@TempDir Path work) throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(
                bad,
                Files.readString(EXAMPLES.resolve("mall.yaml"))
                        .replace("user-id: member_id", "user-ident: member_id")
                        .replace("{column: amount, unit: fen}", "{column: amount, unit: cents}"));
        assertThatThrownBy(() -> MappedShop.prepare(bad, List.of(), work, MYSQL))
                .isInstanceOf(SandboxRefusal.class)
                .hasMessageStartingWith("--mapping " + bad + ": the table mapping has 3 problems:")
                .hasMessageContaining(bad + ":19 tables.orders.columns.user-ident: 'user-ident' is not a field")
                .hasMessageContaining(bad + ":47 tables.payments.columns.amount.unit: unit 'cents'");
    }
}
