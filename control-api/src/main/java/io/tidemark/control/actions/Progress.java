package io.tidemark.control.actions;

/** Where an action tells what it is doing while it waits: the HTTP stream, the log, a test. */
@FunctionalInterface
public interface Progress {

    void say(String line);

    Progress NONE = line -> { };
}
