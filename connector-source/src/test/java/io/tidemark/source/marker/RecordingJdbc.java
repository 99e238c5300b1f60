package io.tidemark.source.marker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A stand-in for an Oracle JDBC connection, for the few statements the marker code runs; no Oracle
 * database runs on the build machines. Queries answer with the rows {@code answers} gives for their
 * SQL; every statement and every bound parameter (with the setter used) is recorded.
 */
final class RecordingJdbc {

    /** A parameter as the code bound it: the setter's name and the value. */
    record Bind(String setter, Object value) {
    }

    /** A statement as it was run, with its parameters by index. */
    record Executed(String sql, Map<Integer, Bind> binds) {
    }

    private final Function<String, List<Object[]>> answers;
    private final List<Executed> executed = new ArrayList<>();
    private final Map<String, SQLException> failures = new LinkedHashMap<>();

    RecordingJdbc(Function<String, List<Object[]>> answers) {
        this.answers = answers;
    }

    /** Statements starting with {@code sqlStart} fail with {@code error} (as the driver would throw it). */
    RecordingJdbc failing(String sqlStart, SQLException error) {
        failures.put(sqlStart, error);
        return this;
    }

    private void failIfAsked(String sql) throws SQLException {
        for (Map.Entry<String, SQLException> failure : failures.entrySet()) {
            if (sql.startsWith(failure.getKey())) {
                throw failure.getValue();
            }
        }
    }

    List<Executed> executed() {
        return executed;
    }

    Connection connection() {
        return proxy(Connection.class, (p, method, args) -> switch (method.getName()) {
            case "prepareStatement" -> statement(PreparedStatement.class, (String) args[0]);
            case "createStatement" -> statement(Statement.class, null);
            case "getAutoCommit", "isClosed" -> false;
            case "unwrap" -> null;
            default -> null; // setAutoCommit, commit, rollback, close
        });
    }

    private <T extends Statement> T statement(Class<T> type, String prepared) {
        Map<Integer, Bind> binds = new TreeMap<>();
        return proxy(type, (p, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length == 2 && args[0] instanceof Integer index) {
                binds.put(index, new Bind(name, args[1]));
                return null;
            }
            return switch (name) {
                case "executeQuery" -> {
                    String sql = prepared != null ? prepared : (String) args[0];
                    executed.add(new Executed(sql, Map.copyOf(binds)));
                    yield resultSet(answers.apply(sql));
                }
                case "execute", "executeUpdate" -> {
                    String sql = prepared != null ? prepared : (String) args[0];
                    failIfAsked(sql);
                    executed.add(new Executed(sql, Map.copyOf(binds)));
                    yield name.equals("execute") ? (Object) false : (Object) 1;
                }
                case "addBatch" -> {
                    executed.add(new Executed(prepared, Map.copyOf(binds)));
                    yield null;
                }
                case "executeBatch" -> new int[0];
                default -> null; // setMaxRows, close
            };
        });
    }

    private static ResultSet resultSet(List<Object[]> rows) {
        Iterator<Object[]> iterator = rows.iterator();
        Object[][] current = new Object[1][];
        return proxy(ResultSet.class, (p, method, args) -> switch (method.getName()) {
            case "next" -> {
                current[0] = iterator.hasNext() ? iterator.next() : null;
                yield current[0] != null;
            }
            case "getLong" -> ((Number) current[0][(Integer) args[0] - 1]).longValue();
            case "getInt" -> ((Number) current[0][(Integer) args[0] - 1]).intValue();
            case "getBoolean" -> current[0][(Integer) args[0] - 1] instanceof Number n ? n.intValue() != 0
                    : Boolean.TRUE.equals(current[0][(Integer) args[0] - 1]);
            case "getString" -> current[0][(Integer) args[0] - 1] == null ? null : current[0][(Integer) args[0] - 1].toString();
            case "getObject" -> current[0][(Integer) args[0] - 1];
            case "wasNull" -> false;
            default -> null; // close
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        InvocationHandler withObjectMethods = (p, method, args) -> switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == args[0];
            case "toString" -> "recording " + type.getSimpleName();
            default -> handler.invoke(p, method, args);
        };
        return (T) Proxy.newProxyInstance(RecordingJdbc.class.getClassLoader(), new Class<?>[] {type}, withObjectMethods);
    }
}
