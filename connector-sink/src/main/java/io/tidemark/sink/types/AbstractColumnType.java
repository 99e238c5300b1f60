package io.tidemark.sink.types;

import java.util.List;

/** What every {@link ColumnType} shares: its registration keys, given once to the constructor. */
public abstract class AbstractColumnType implements ColumnType {

    private final List<String> registrationKeys;

    protected AbstractColumnType(String... registrationKeys) {
        this.registrationKeys = List.of(registrationKeys);
    }

    @Override
    public final List<String> registrationKeys() {
        return registrationKeys;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
