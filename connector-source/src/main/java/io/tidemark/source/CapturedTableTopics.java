package io.tidemark.source;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.debezium.relational.RelationalDatabaseSchema;
import io.debezium.relational.TableId;
import io.debezium.relational.TableSchema;
import io.debezium.relational.Tables.TableFilter;
import io.debezium.spi.topic.TopicNamingStrategy;
import io.tidemark.source.marker.MarkerTables;

/**
 * The topics of the tables Debezium captures now, named by Debezium's own topic naming strategy:
 * the tables its schema knows that its filter includes, less the marker objects. A table created
 * later joins as soon as Debezium has seen it. Also warns, once per table, about tables without a
 * key, which the sink refuses.
 */
final class CapturedTableTopics {

    private static final Logger LOG = LoggerFactory.getLogger(CapturedTableTopics.class);

    private final Supplier<? extends RelationalDatabaseSchema> schema;
    private final TableFilter filter;
    private final TopicNamingStrategy<TableId> naming;
    private final MarkerTables tables;
    private final Set<TableId> warnedWithoutKey = new HashSet<>();

    @SuppressWarnings("unchecked")
    CapturedTableTopics(Supplier<? extends RelationalDatabaseSchema> schema, RelationalDatabaseConnectorConfig config,
                        MarkerTables tables) {
        this.schema = schema;
        this.filter = config.getTableFilters().dataCollectionFilter();
        this.naming = config.getTopicNamingStrategy(CommonConnectorConfig.TOPIC_NAMING_STRATEGY);
        this.tables = tables;
    }

    Collection<String> topics() {
        RelationalDatabaseSchema current = schema.get();
        Set<String> topics = new TreeSet<>();
        for (TableId id : current.tableIds()) {
            if (!filter.isIncluded(id) || tables.isMarkerTable(id.schema(), id.table())
                    || tables.isRequestTable(id.schema(), id.table())) {
                continue;
            }
            topics.add(naming.dataChangeTopic(id));
            warnIfWithoutKey(current, id);
        }
        return topics;
    }

    private void warnIfWithoutKey(RelationalDatabaseSchema current, TableId id) {
        TableSchema tableSchema = current.schemaFor(id);
        if (tableSchema != null && tableSchema.keySchema() == null && warnedWithoutKey.add(id)) {
            LOG.warn("Captured table {} has no primary key (and no message.key.columns entry): its change events"
                    + " carry no key, and Tidemark's sink refuses such a table. Add a primary key or set"
                    + " message.key.columns for it.", id);
        }
    }
}
