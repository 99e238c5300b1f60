package io.tidemark.sink.types.debezium;

import io.tidemark.sink.types.BadValueException;

/** The primitive under a Debezium semantic type, checked: a wrong class is a bad value, not a ClassCastException. */
final class Values {

    private Values() {
    }

    static int int32(Object value, String logicalName) {
        if (value instanceof Integer i) {
            return i;
        }
        throw unexpected(value, logicalName, "an int32");
    }

    static long int64(Object value, String logicalName) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Integer i) {
            return i;
        }
        throw unexpected(value, logicalName, "an int64");
    }

    static String string(Object value, String logicalName) {
        if (value instanceof String s) {
            return s;
        }
        throw unexpected(value, logicalName, "a string");
    }

    private static BadValueException unexpected(Object value, String logicalName, String expected) {
        return new BadValueException(logicalName + " should be " + expected + " but is " + value.getClass().getName()
                + " '" + value + "'");
    }
}
