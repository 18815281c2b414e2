package io.paystream.sandbox.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaScriptTest {
    private static final Path EXAMPLES = Path.of("../../docs/examples/mall");

    @Test
    void aMariaDbDumpOfTwoDatabasesIsItsTablesAndSettingsWithoutTheClientCharset() throws Exception {
        SchemaScript s = SchemaScript.read(EXAMPLES.resolve("mall-shop.sql"));
        assertThat(s.databases).containsExactly("mall_oms", "mall_pms");
        assertThat(s.needsDatabase).isFalse();
        assertThat(s.statements)
                .noneMatch(q -> q.text().contains("NAMES") || q.text().contains("= utf8 "));
        assertThat(s.statements).noneMatch(q -> q.text().startsWith("--"));
        assertThat(s.statements.stream().filter(q -> q.text().startsWith("CREATE TABLE")))
                .hasSize(3);
        SchemaScript.Sql orders = s.statements.stream()
                .filter(q -> q.text().startsWith("CREATE TABLE `oms_order`"))
                .findFirst()
                .orElseThrow();
        assertThat(orders.line()).isEqualTo(38);
        assertThat(orders.text()).endsWith("COMMENT='订单表'");
    }

    @Test
    void aMySql8DumpLosesWhatMariaDbRefuses() throws Exception {
        SchemaScript s = SchemaScript.read(EXAMPLES.resolve("mall-paycenter.sql"));
        assertThat(s.databases).containsExactly("pay_0", "pay_1");
        assertThat(s.statements)
                .noneMatch(q -> q.text().contains("0900") || q.text().contains("ENCRYPTION"));
        assertThat(s.statements.get(s.statements.size() - 1).text())
                .isEqualTo("/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */");
        assertThat(s.statements)
                .anyMatch(q -> q.text()
                        .equals(
                                "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `pay_1` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE"
                                        + " utf8mb4_unicode_ci */"));
    }

    @Test
    void triggersBetweenDelimitersAreOneStatementAndTheSandboxModeLineIsDropped() {
        SchemaScript s = SchemaScript.parse(
                Path.of("t.sql"),
                String.join(
                        "\n",
                        "/*M!999999\\- enable the sandbox mode */ ",
                        "CREATE TABLE t (id int);",
                        "# a comment",
                        "DELIMITER ;;",
                        "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER t_bi BEFORE INSERT ON t",
                        "FOR EACH ROW BEGIN",
                        "  SET NEW.id = NEW.id + 1;",
                        "END */;;",
                        "DELIMITER ;",
                        "CREATE TABLE `other`.`u` (id int);"));
        assertThat(s.statements).extracting(SchemaScript.Sql::line).containsExactly(2, 5, 10);
        assertThat(s.statements.get(1).text())
                .contains("SET NEW.id = NEW.id + 1;")
                .endsWith("END */");
        assertThat(s.needsDatabase).as("t is created before any USE").isTrue();
        assertThat(s.databases).containsExactly("other");
    }
}
