package io.tidemark.control.project;

/** A project descriptor or a file it names is wrong; the message names the setting and the fix. */
public final class ProjectException extends RuntimeException {

    public ProjectException(String message) {
        super(message);
    }
}
