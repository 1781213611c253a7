package io.annals.bench.subject;

/** Opens a fresh, empty Annals store of one kind for one case. */
@FunctionalInterface
public interface AnnalsStoreOpener {

    OpenedStore open(String caseName, int connections) throws Exception;

    default SubjectFactory asFactory() {
        return new SubjectFactory() {
            @Override
            public String name() {
                return AnnalsSubject.NAME;
            }

            @Override
            public BenchSubject open(String caseName, int connections) throws Exception {
                return new AnnalsSubject(AnnalsStoreOpener.this.open(caseName, connections));
            }
        };
    }
}
