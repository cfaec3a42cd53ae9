package dev.pipewright.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or {@code development} when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Pipewright.class.getPackage().getImplementationVersion();
        return new String[] {"pipewright " + (v == null ? "development" : v)};
    }
}
