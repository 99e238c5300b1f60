package io.tidemark.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

class TimeArgumentsTest {

    @Test
    void anExpiryDateIncludesThatWholeDay() {
        assertThat(new TimeArguments.EndOfDay().convert("2026-12-31")).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void anIssuedDateIsTheStartOfThatDay() {
        assertThat(new TimeArguments.StartOfDay().convert("2026-12-31")).isEqualTo("2026-12-31T00:00:00Z");
    }

    @Test
    void instantsAreTakenAsTheyAre() {
        assertThat(new TimeArguments.EndOfDay().convert("2027-06-30T12:00:00Z")).isEqualTo("2027-06-30T12:00:00Z");
        assertThat(new TimeArguments.EndOfDay().convert("2027-06-30T12:00:00+02:00")).isEqualTo("2027-06-30T10:00:00Z");
    }

    @Test
    void otherTextIsRefused() {
        assertThatThrownBy(() -> TimeArguments.parse("tomorrow", true))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'tomorrow' is neither a date (YYYY-MM-DD, UTC) nor an instant (e.g. 2027-01-01T00:00:00Z)");
        assertThatThrownBy(() -> TimeArguments.parse("2027-06-30T12:00:00", true))
                .hasMessageContaining("is neither a date");
    }
}
