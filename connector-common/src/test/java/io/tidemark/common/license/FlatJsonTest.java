package io.tidemark.common.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlatJsonTest {

    @Test
    void writesMembersSortedWithoutWhitespace() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("b", "two");
        members.put("a", 1L);
        members.put("c", -3);
        assertThat(FlatJson.write(members)).isEqualTo("{\"a\":1,\"b\":\"two\",\"c\":-3}");
    }

    @Test
    void escapesOnlyWhatJsonRequires() {
        assertThat(FlatJson.write(Map.of("s", "q\" b\\ n\n t\t c\u0001 é/")))
                .isEqualTo("{\"s\":\"q\\\" b\\\\ n\\n t\\t c\\u0001 é/\"}");
    }

    @Test
    void readsWhatItWrites() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("max", Long.MAX_VALUE);
        members.put("min", Long.MIN_VALUE);
        members.put("text", "quote\" backslash\\ newline\n unicode ✓ control\u001f");
        members.put("zero", 0L);
        assertThat(FlatJson.read(FlatJson.write(members))).isEqualTo(members);
    }

    @Test
    void readsStandardJsonOfThatShape() {
        assertThat(FlatJson.read(" {\n \"a\" : \"x\\u0041\\/\" ,\t\"b\":7 }\r\n"))
                .containsExactly(Map.entry("a", "xA/"), Map.entry("b", 7L));
        assertThat(FlatJson.read("{}")).isEmpty();
    }

    @Test
    void refusesValuesOfOtherTypes() {
        assertThatThrownBy(() -> FlatJson.write(Map.of("d", 1.5)))
                .hasMessageContaining("member 'd' is neither a string nor an integer: Double");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"a\":1,\"a\":2}`             | member 'a' appears twice (at character 7)",
            "`{\"a\":{}}`                    | the value of 'a' is an object; only strings and integers are allowed",
            "`{\"a\":[1]}`                   | the value of 'a' is an array",
            "`{\"a\":true}`                  | the value of 'a' is a boolean",
            "`{\"a\":null}`                  | the value of 'a' is null",
            "`{\"a\":1.5}`                   | the value of 'a' is not an integer",
            "`{\"a\":1e3}`                   | the value of 'a' is not an integer",
            "`{\"a\":01}`                    | the integer value of 'a' has a leading zero",
            "`{\"a\":-}`                     | expected digits in the value of 'a'",
            "`{\"a\":9223372036854775808}`   | the integer value of 'a' does not fit in 64 bits",
            "`{\"a\":1} x`                   | unexpected text after the closing '}' (at character 8)",
            "`{\"a\":1}{}`                   | unexpected text after the closing '}'",
            "`{\"a\":\"x`                    | unterminated string",
            "`{\"a\" 1}`                     | expected ':' after member name 'a'",
            "`{\"a\":1 \"b\":2}`             | expected ',' or '}' after the value of 'a'",
            "`{\"a\":1,}`                    | expected a member name in double quotes",
            "`{a:1}`                         | expected a member name in double quotes",
            "`{\"a\":\"\\x\"}`               | unknown escape '\\x'",
            "`{\"a\":\"\\u12G4\"}`           | bad hex digit in \\u escape",
            "`{\"a\":\"\\u12`                | incomplete \\u escape",
            "`[1]`                           | expected '{' to open the object",
            "``                              | expected '{' to open the object",
            "`{\"a\":`                       | the value of 'a' is missing (the text ends)",
            "`{\"a\":1`                      | expected ',' or '}' after the value of 'a'",
    })
    void refusesAnythingElse(String json, String message) {
        assertThatThrownBy(() -> FlatJson.read(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesRawControlCharactersInStrings() {
        assertThatThrownBy(() -> FlatJson.read("{\"a\":\"line\nbreak\"}"))
                .hasMessageContaining("control character in a string");
    }
}
