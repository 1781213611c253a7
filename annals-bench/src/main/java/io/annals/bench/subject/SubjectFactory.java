package io.annals.bench.subject;

/** Opens a fresh, empty subject for one case. */
public interface SubjectFactory {

    /** The comparator's name in reports: {@code annals}, {@code raw-jdbc} or {@code axon-4.13}. */
    String name();

    /**
     * @param caseName    the case it is opened for, part of schema or file names
     * @param connections how many connections concurrent clients will need
     */
    BenchSubject open(String caseName, int connections) throws Exception;
}
