package io.annals.bench.measure;

/** One step of one client in a throughput run; returns how many events it wrote or read. */
@FunctionalInterface
public interface ClientOperation {

    int run(int client, long iteration) throws Exception;
}
