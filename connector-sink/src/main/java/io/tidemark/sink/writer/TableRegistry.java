package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.schema.TableModels;

/**
 * The tables of the task's partitions: which table each partition carries, and each table's row
 * in {@code table_state}, written with its configured mode when a task first claims one of its
 * partitions. Every table of the connector's {@code topics} list gets its row with the first
 * claim, whoever holds it: it takes part from iteration 0, and an operator sees it and can stop it.
 */
final class TableRegistry {

    private final DesiredStates desiredStates;
    private final TableModels models;
    private final TableView view;
    private final List<String> configuredTopics;
    /** Tables registered by this task (registration makes a configured mode a request once). */
    private final Set<SourceTable> registered = new HashSet<>();
    private final Map<TopicPartition, SourceTable> tableOf = new HashMap<>();

    TableRegistry(DesiredStates desiredStates, TableModels models, TableView view, List<String> configuredTopics) {
        this.desiredStates = desiredStates;
        this.models = models;
        this.view = view;
        this.configuredTopics = List.copyOf(configuredTopics);
    }

    /** The table a partition carries (by its topic until a record says otherwise). */
    SourceTable tableOf(TopicPartition tp) {
        return tableOf.computeIfAbsent(tp, k -> SourceTable.fromTopic(k.topic()));
    }

    void carries(TopicPartition tp, SourceTable table) {
        tableOf.put(tp, table);
    }

    /** The task's partitions of a table, among {@code partitions}. */
    List<TopicPartition> partitionsOf(SourceTable table, Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tableOf(tp).equals(table)).toList();
    }

    /** Partitions just claimed: their tables, and the configured ones, have their rows. In the caller's transaction. */
    void claimed(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        for (TopicPartition tp : partitions) {
            registerOnce(c, tableOf(tp), tp.topic());
        }
        for (String topic : configuredTopics) {
            registerOnce(c, SourceTable.fromTopic(topic), topic);
        }
    }

    private void registerOnce(Connection c, SourceTable table, String topic) throws SQLException {
        if (registered.add(table)) {
            desiredStates.register(c, table.qualified(), models.targetName(table), topic, view.configuredMode(table));
        }
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(tableOf::remove);
    }

    /** The connector's {@code topics} list, as source tables ({@code SCHEMA.TABLE}). */
    Set<String> configuredTables() {
        Set<String> result = new HashSet<>();
        configuredTopics.forEach(topic -> result.add(SourceTable.fromTopic(topic).qualified()));
        return result;
    }
}
