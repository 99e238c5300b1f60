package io.tidemark.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tidemark.control.cutover.ExpressionTranslator.Dialect;

class ExpressionTranslatorTest {

    private static final Set<String> ORACLE_COLUMNS = Set.of("QTY", "PRICE", "STATUS", "SHIPPED_AT", "ORDERED_AT", "Mixed");

    private static ExpressionTranslator oracle() {
        return new ExpressionTranslator(Dialect.ORACLE, c -> ORACLE_COLUMNS.contains(c) ? "\"" + c.toLowerCase(Locale.ROOT)
                + "\"" : null, seq -> "\"sales\".\"" + seq.substring(seq.indexOf('.') + 1).toLowerCase(Locale.ROOT) + "\"",
                "SALES");
    }

    private static ExpressionTranslator postgres() {
        return new ExpressionTranslator(Dialect.POSTGRES, c -> Set.of("qty", "status", "id").contains(c) ? "\"" + c + "\""
                : null, seq -> "\"shop_t\".\"" + seq.substring(seq.indexOf('.') + 1) + "\"", "public");
    }

    @Test
    void oracleComparisonsAndColumnsBecomeTheTargetsColumns() {
        assertThat(oracle().translate("QTY > 0 AND price >= 0").sql()).isEqualTo("\"qty\" > 0 AND \"price\" >= 0");
        assertThat(oracle().translate("\"Mixed\" ^= 3").sql()).isEqualTo("\"mixed\" <> 3");
        assertThat(oracle().translate("STATUS IN ('NEW', 'PAID', 'O''Brien')").sql())
                .isEqualTo("\"status\" IN ('NEW', 'PAID', 'O''Brien')");
    }

    @Test
    void oracleFunctionsAndWordsWithAnEquivalentAreTranslated() {
        assertThat(oracle().translate("NVL(SHIPPED_AT, ORDERED_AT) >= ORDERED_AT").sql())
                .isEqualTo("COALESCE(\"shipped_at\", \"ordered_at\") >= \"ordered_at\"");
        assertThat(oracle().translate("SYSDATE").sql()).isEqualTo("LOCALTIMESTAMP(0)");
        assertThat(oracle().translate("SYSTIMESTAMP").sql()).isEqualTo("CURRENT_TIMESTAMP");
        assertThat(oracle().translate("UPPER(STATUS) = STATUS").sql()).isEqualTo("upper(\"status\") = \"status\"");
        assertThat(oracle().translate("\"SALES\".\"ORDER_SEQ\".\"NEXTVAL\"").sql())
                .isEqualTo("nextval('\"sales\".\"order_seq\"')");
        assertThat(oracle().translate("order_seq.nextval").sql()).isEqualTo("nextval('\"sales\".\"order_seq\"')");
    }

    @Test
    void oracleExpressionsWithoutAnEquivalentAreNotPortableAndSayWhy() {
        assertThat(oracle().translate("DECODE(STATUS, 'X', 1, 0) = 1").problem()).contains("DECODE");
        assertThat(oracle().translate("TO_CHAR(ORDERED_AT, 'YYYY') > '2000'").problem()).contains("TO_CHAR");
        assertThat(oracle().translate("STATUS <> ''").problem()).contains("'' as NULL");
        assertThat(oracle().translate("NOPE > 1").problem()).contains("'NOPE' is not a column");
        assertThat(oracle().translate("QTY > 'x").problem()).contains("unclosed");
    }

    @Test
    void postgresExpressionsKeepFunctionsAndCastsAndMapColumnsAndSequences() {
        assertThat(postgres().translate("(qty > 0)").sql()).isEqualTo("(\"qty\" > 0)");
        assertThat(postgres().translate("nextval('orders_id_seq'::regclass)").sql())
                .isEqualTo("nextval('\"shop_t\".\"orders_id_seq\"'::regclass)");
        assertThat(postgres().translate("(status = ANY (ARRAY['new'::text, 'paid'::text]))").sql())
                .isEqualTo("(\"status\" = ANY (ARRAY['new'::text, 'paid'::text]))");
        assertThat(postgres().translate("lower((status)::text)").sql()).isEqualTo("lower((\"status\")::text)");
    }
}
