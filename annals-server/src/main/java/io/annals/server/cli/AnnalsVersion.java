package io.annals.server.cli;

import picocli.CommandLine.IVersionProvider;

final class AnnalsVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = AnnalsVersion.class.getPackage().getImplementationVersion();
        return new String[] {"annals " + (version == null ? "development build" : version)};
    }
}
