package io.tidemark.control.cutover;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.tidemark.sink.naming.Identifiers;

/**
 * A CHECK, a default or an index expression of the source rewritten for the target: column and
 * sequence names mapped as the sink maps them and, from Oracle, the functions and words with a
 * PostgreSQL equivalent translated. Anything else makes the expression not portable, with the
 * reason, for hand review: a guess would change what the constraint allows.
 */
public final class ExpressionTranslator {

    public enum Dialect { POSTGRES, ORACLE }

    /** @param problem null when {@code sql} is the translation; else why there is none */
    public record Result(String sql, String problem) {

        public boolean portable() {
            return problem == null;
        }
    }

    /** Oracle functions that PostgreSQL has under another name. */
    private static final Map<String, String> ORACLE_RENAMED = Map.of("NVL", "COALESCE", "CEIL", "ceil");
    /** Oracle functions that mean the same in PostgreSQL (for the argument types a constraint uses). */
    private static final Set<String> ORACLE_SAME = Set.of("UPPER", "LOWER", "TRIM", "LTRIM", "RTRIM", "LENGTH", "SUBSTR",
            "ABS", "ROUND", "MOD", "COALESCE", "NULLIF", "GREATEST", "LEAST", "REPLACE", "FLOOR", "SIGN", "LPAD", "RPAD");
    /** Oracle words that stand alone (no parentheses) and what they become. */
    private static final Map<String, String> ORACLE_WORDS = Map.of("SYSDATE", "LOCALTIMESTAMP(0)",
            "SYSTIMESTAMP", "CURRENT_TIMESTAMP", "CURRENT_DATE", "LOCALTIMESTAMP(0)",
            "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", "USER", "CURRENT_USER");
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "LIKE",
            "ESCAPE", "CASE", "WHEN", "THEN", "ELSE", "END", "DATE", "TIMESTAMP", "TRUE", "FALSE");

    private final Dialect dialect;
    private final Function<String, String> columns;
    private final Function<String, String> sequences;
    private final String schema;

    /**
     * @param columns   a source column's target name, quoted or not as needed; null when the name is no column
     * @param sequences a source sequence's ({@code SCHEMA.NAME}) target name, qualified and quoted
     * @param schema    the table's source schema, for sequence names without one
     */
    public ExpressionTranslator(Dialect dialect, Function<String, String> columns, Function<String, String> sequences,
                                String schema) {
        this.dialect = dialect;
        this.columns = columns;
        this.sequences = sequences;
        this.schema = schema;
    }

    public Result translate(String expression) {
        List<Token> tokens;
        try {
            tokens = Token.split(expression.strip());
        } catch (IllegalArgumentException e) {
            return new Result(null, e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = next(tokens, i);
            switch (t.kind()) {
                case SPACE -> out.append(' ');
                case NUMBER, PUNCT -> {
                    if (dialect == Dialect.ORACLE && t.text().equals("^=")) {
                        out.append("<>");
                    } else {
                        out.append(t.text());
                    }
                }
                case LITERAL -> {
                    if (dialect == Dialect.ORACLE && t.text().equals("''")) {
                        return new Result(null, "Oracle reads '' as NULL, PostgreSQL as an empty string: the condition "
                                + "would change meaning");
                    }
                    Token after = next == null ? null : next(tokens, nextIndex(tokens, i));
                    if (dialect == Dialect.POSTGRES && next != null && next.text().equals("::") && after != null
                            && after.text().equalsIgnoreCase("regclass")) {
                        out.append(Identifiers.literal(sequences.apply(qualified(unquoteLiteral(t.text())))));
                    } else {
                        out.append(t.text());
                    }
                }
                case IDENTIFIER, QUOTED -> {
                    int consumed = identifier(tokens, i, out);
                    if (consumed < 0) {
                        return new Result(null, problem);
                    }
                    i = consumed;
                }
                default -> throw new IllegalStateException(t.kind().name());
            }
        }
        return new Result(out.toString().strip(), null);
    }

    private String problem;

    /** Appends the translation of the name at {@code i}; the index of its last token, or -1 (see {@link #problem}). */
    private int identifier(List<Token> tokens, int i, StringBuilder out) {
        Token t = tokens.get(i);
        String name = t.kind() == Token.Kind.QUOTED ? t.text().substring(1, t.text().length() - 1).replace("\"\"", "\"")
                : dialect == Dialect.ORACLE ? t.text().toUpperCase(Locale.ROOT) : t.text().toLowerCase(Locale.ROOT);
        // SEQ.NEXTVAL or SCHEMA.SEQ.NEXTVAL (Oracle's sequence defaults)
        List<String> path = new ArrayList<>(List.of(name));
        int j = i;
        while (j + 2 < tokens.size() && tokens.get(j + 1).text().equals(".")
                && (tokens.get(j + 2).kind() == Token.Kind.IDENTIFIER || tokens.get(j + 2).kind() == Token.Kind.QUOTED)) {
            Token part = tokens.get(j + 2);
            path.add(part.kind() == Token.Kind.QUOTED ? part.text().substring(1, part.text().length() - 1)
                    : part.text().toUpperCase(Locale.ROOT));
            j += 2;
        }
        if (dialect == Dialect.ORACLE && path.size() > 1) {
            if (path.get(path.size() - 1).equalsIgnoreCase("NEXTVAL") && path.size() <= 3) {
                String seq = path.size() == 3 ? path.get(0) + "." + path.get(1) : schema + "." + path.get(0);
                out.append("nextval(").append(Identifiers.literal(sequences.apply(seq))).append(")");
                return j;
            }
            return fail("'" + String.join(".", path) + "' is neither a column nor a sequence's NEXTVAL");
        }
        String column = columns.apply(name);
        Token next = next(tokens, j);
        boolean call = next != null && next.text().equals("(");
        if (column != null && !call && path.size() == 1) {
            out.append(column);
            return j;
        }
        if (dialect == Dialect.POSTGRES) {
            // Functions, types after ::, words: the same in the target.
            for (int k = i; k <= j; k++) {
                out.append(tokens.get(k).text());
            }
            return j;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (KEYWORDS.contains(upper) && t.kind() == Token.Kind.IDENTIFIER) {
            out.append(upper);
            return j;
        }
        if (call) {
            if (ORACLE_RENAMED.containsKey(upper)) {
                out.append(ORACLE_RENAMED.get(upper));
            } else if (ORACLE_SAME.contains(upper)) {
                out.append(upper.toLowerCase(Locale.ROOT));
            } else {
                return fail("Oracle function " + upper + " has no translation here");
            }
            return j;
        }
        if (ORACLE_WORDS.containsKey(upper)) {
            out.append(ORACLE_WORDS.get(upper));
        } else {
            return fail("'" + name + "' is not a column of the table, nor a word with a PostgreSQL equivalent");
        }
        return j;
    }

    private int fail(String why) {
        problem = why;
        return -1;
    }

    private String qualified(String name) {
        return name.contains(".") ? name : schema + "." + name;
    }

    private static String unquoteLiteral(String literal) {
        String inner = literal.substring(1, literal.length() - 1).replace("''", "'");
        return inner.replace("\"", "");
    }

    private static Token next(List<Token> tokens, int i) {
        int k = nextIndex(tokens, i);
        return k < 0 ? null : tokens.get(k);
    }

    private static int nextIndex(List<Token> tokens, int i) {
        for (int k = i + 1; k < tokens.size(); k++) {
            if (tokens.get(k).kind() != Token.Kind.SPACE) {
                return k;
            }
        }
        return -1;
    }

    /** A piece of an expression: enough of SQL's lexical rules to tell names from literals and operators. */
    record Token(Kind kind, String text) {

        enum Kind { SPACE, LITERAL, QUOTED, IDENTIFIER, NUMBER, PUNCT }

        static List<Token> split(String s) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                int end;
                Kind kind;
                if (Character.isWhitespace(c)) {
                    end = i;
                    while (end < s.length() && Character.isWhitespace(s.charAt(end))) {
                        end++;
                    }
                    kind = Kind.SPACE;
                } else if (c == '\'' || c == '"') {
                    end = closing(s, i, c);
                    kind = c == '\'' ? Kind.LITERAL : Kind.QUOTED;
                } else if (Character.isLetter(c) || c == '_') {
                    end = i;
                    while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || "_$#".indexOf(s.charAt(end)) >= 0)) {
                        end++;
                    }
                    kind = Kind.IDENTIFIER;
                } else if (Character.isDigit(c)) {
                    end = i;
                    while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.'
                            || s.charAt(end) == 'e' || s.charAt(end) == 'E')) {
                        end++;
                    }
                    kind = Kind.NUMBER;
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    end = Set.of("<=", ">=", "<>", "!=", "^=", "||", "::").contains(two) ? i + 2 : i + 1;
                    kind = Kind.PUNCT;
                }
                tokens.add(new Token(kind, s.substring(i, end)));
                i = end;
            }
            return tokens;
        }

        private static int closing(String s, int start, char quote) {
            int i = start + 1;
            while (i < s.length()) {
                if (s.charAt(i) == quote) {
                    if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            throw new IllegalArgumentException("an unclosed " + quote + " in the expression");
        }
    }
}
