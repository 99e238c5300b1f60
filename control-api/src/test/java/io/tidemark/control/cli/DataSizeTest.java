package io.tidemark.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

    @ParameterizedTest
    @CsvSource({
            "500000000000, 500000000000",
            "500GB,        500000000000",
            "500 GB,       500000000000",
            "500gb,        500000000000",
            "1.5TB,        1500000000000",
            "2TiB,         2199023255552",
            "1KiB,         1024",
            "1kb,          1000",
            "3MiB,         3145728",
            "8PiB,         9007199254740992",
            "7B,           7",
            "9223372036854775807, 9223372036854775807",
    })
    void readsNumbersAndUnits(String text, long bytes) {
        assertThat(DataSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GB", "-1", "1,5GB", "5 G", "5XB", "1.5B", "0.1KiB", "9223372036854775808", "10000PB"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> DataSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "0,             0 B",
            "999,           999 B",
            "1000,          1 kB",
            "1024,          1 KiB",
            "500000000000,  500 GB",
            "2199023255552, 2 TiB",
            "1500000000000, 1500 GB",
            "1234567890,    about 1.23 GB",
            "1001,          about 1 kB",
    })
    void formatsForPeople(long bytes, String text) {
        assertThat(DataSize.format(bytes)).isEqualTo(text);
    }
}
