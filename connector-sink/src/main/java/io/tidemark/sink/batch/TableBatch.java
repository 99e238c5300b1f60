package io.tidemark.sink.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.schema.TableModels;

/** One table's buffered changes in a batch bound for one route: segments in arrival order. */
public final class TableBatch {

    private final SourceTable source;
    private final TargetTable target;
    private final Route route;
    private final List<Segment> segments = new ArrayList<>();
    private int changes;

    TableBatch(SourceTable source, TargetTable target, Route route) {
        this.source = source;
        this.target = target;
        this.route = route;
    }

    /**
     * The same changes bound for the target: the table became PARTIAL (while stopped) after its
     * changes were read for its stage.
     */
    public TableBatch toTarget() {
        TableBatch direct = new TableBatch(source, target, Route.target(route.iteration()));
        direct.segments.addAll(segments);
        direct.changes = changes;
        return direct;
    }

    public Route route() {
        return route;
    }

    public SourceTable source() {
        return source;
    }

    public TargetTable target() {
        return target;
    }

    public List<Segment> segments() {
        return segments;
    }

    int changes() {
        return changes;
    }

    /**
     * Adds an upsert, delete or truncate.
     *
     * @throws io.tidemark.sink.schema.TableDefinitionException when the record's schema makes no usable table
     */
    void add(ChangeEvent change, TableModels models, UnavailableValues unavailable) {
        changes++;
        Segment current = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (change.kind() == ChangeEvent.Kind.TRUNCATE) {
            // What came before in this batch is wiped by the truncate anyway.
            segments.clear();
            segments.add(new Segment(current == null ? null : current.model(), true));
            return;
        }
        if (change.rowSchema() == null) { // a tombstone: any segment with the same key can take it
            if (current == null || current.model() == null
                    || !Objects.equals(current.model().keySchema(), change.key().schema())) {
                current = new Segment(models.model(source, change.key().schema(), null), false);
                segments.add(current);
            }
            current.add(change, unavailable);
            return;
        }
        TableModel model = models.model(source, change.key().schema(), change.rowSchema());
        if (current == null) {
            current = new Segment(model, false);
            segments.add(current);
        } else if (current.model() != model) {
            if (current.model() == null
                    || (current.model().keyOnly() && Objects.equals(current.model().keySchema(), model.keySchema()))) {
                current.upgrade(model);
            } else {
                current = new Segment(model, false);
                segments.add(current);
            }
        }
        if (current.wouldLoseAMove(change, unavailable)) {
            current = new Segment(current.model(), false);
            segments.add(current);
        }
        current.add(change, unavailable);
    }
}
