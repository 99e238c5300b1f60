package io.tidemark.sink.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tidemark.sink.naming.NameCase;

class NameMapperTest {

    private final List<SourceTable> tables = List.of(SourceTable.fromTopic("srv.HR.EMP"), SourceTable.fromTopic("srv.HR.DEPT"));

    @Test
    void topicNamesTheSourceTable() {
        assertThat(SourceTable.fromTopic("server1.HR.EMPLOYEES")).isEqualTo(new SourceTable("HR", "EMPLOYEES"));
        assertThat(SourceTable.fromTopic("HR.EMPLOYEES")).isEqualTo(new SourceTable("HR", "EMPLOYEES"));
        assertThat(SourceTable.fromTopic("employees")).isEqualTo(new SourceTable(null, "employees"));
    }

    @Test
    void lowerCaseByDefaultAndRenamesWinMatchedWithoutCase() {
        NameMapper names = new NameMapper(NameCase.LOWER, null, Map.of("hr", "human"),
                Map.of("hr.emp", "staff", "HR.DEPT", "org.departments"), Map.of("HR.EMP.ENAME", "full_name"));
        SourceTable emp = new SourceTable("HR", "EMP");
        assertThat(names.table(emp)).isEqualTo(new TargetTable("human", "staff"));
        assertThat(names.table(new SourceTable("HR", "DEPT"))).isEqualTo(new TargetTable("org", "departments"));
        assertThat(names.table(new SourceTable("HR", "JOBS"))).isEqualTo(new TargetTable("human", "jobs"));
        assertThat(names.column(emp, "ENAME")).isEqualTo("full_name");
        assertThat(names.column(emp, "SAL")).isEqualTo("sal");
        assertThat(names.table(new SourceTable(null, "t"))).isEqualTo(new TargetTable("public", "t"));
    }

    @Test
    void preserveKeepsSourceSpellingAndTargetSchemaPutsEverythingInOne() {
        NameMapper names = new NameMapper(NameCase.PRESERVE, "migrated", Map.of(), Map.of(), Map.of());
        assertThat(names.table(new SourceTable("HR", "EMP"))).isEqualTo(new TargetTable("migrated", "EMP"));
        assertThat(names.column(new SourceTable("HR", "EMP"), "Mixed")).isEqualTo("Mixed");
    }

    @Test
    void quotingIsSafeForAnyName() {
        assertThat(Identifiers.quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(new TargetTable("a b", "c\"d").quoted()).isEqualTo("\"a b\".\"c\"\"d\"");
        assertThat(Identifiers.problem("x".repeat(63))).isNull();
        assertThat(Identifiers.problem("é".repeat(32))).contains("64 bytes");
    }

    @Test
    void problemsNameTheOffendingEntries() {
        NameMapper names = new NameMapper(NameCase.LOWER, null, Map.of("SALES", "s"),
                Map.of("HR.EMPLOYEES", "x", "HR.DEPT", "emp"),
                Map.of("HR.EMP.A", "same", "HR.EMP.B", "same", "HR.GONE.C", "c", "NODOT", "y"));
        Map<String, List<String>> problems = names.problems(tables);
        assertThat(problems.get("table.rename")).containsExactlyInAnyOrder(
                "'HR.EMPLOYEES' is not a table of this connector's topics (HR.DEPT, HR.EMP)",
                "HR.EMP and HR.DEPT both map to table hr.emp");
        assertThat(problems.get("column.rename")).anyMatch(m -> m.contains("HR.EMP.A and HR.EMP.B both map to column 'same'")
                || m.contains("HR.EMP.B and HR.EMP.A both map to column 'same'"));
        assertThat(problems.get("column.rename")).anyMatch(m -> m.contains("'HR.GONE.C' names table 'HR.GONE'"));
        assertThat(problems.get("column.rename")).anyMatch(m -> m.contains("'NODOT' must be SCHEMA.TABLE.COLUMN"));
        assertThat(problems.get("schema.rename")).containsExactly("'SALES' is not a schema of this connector's topics");
    }

    @Test
    void overLongTargetsAreProblemsEvenWithoutKnownTables() {
        NameMapper names = new NameMapper(NameCase.LOWER, null, Map.of(), Map.of("HR.EMP", "t".repeat(64)), Map.of());
        assertThat(names.problems(null).get("table.rename")).singleElement().asString()
                .contains("entry HR.EMP:" + "t".repeat(64)).contains("at most 63");
    }
}
