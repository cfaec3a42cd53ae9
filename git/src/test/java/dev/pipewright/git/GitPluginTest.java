package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.StepHandler;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GitPluginTest {

    @Test
    void serviceLoader_findsTheGitPlugin() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).hasOnlyElementsOfType(GitPlugin.class).hasSize(1);
        assertThat(plugins.get(0).name()).isEqualTo("git");
    }

    @Test
    void plugin_givesTheCheckoutHandlerAndTheFactsReader() {
        GitPlugin plugin = GitPlugin.of(Map.of("CIRCLE_BRANCH", "master"));

        assertThat(plugin.stepHandlers()).extracting(StepHandler::type).containsExactly("checkout");
        assertThat(plugin.repositoryFacts()).containsInstanceOf(GitFacts.class);
        assertThat(plugin.credentialsProviders()).isEmpty();
        assertThat(plugin.listeners()).isEmpty();
        assertThat(GitPlugin.PINNED_COMMIT.name()).isEqualTo("git.pinned-commit");
    }
}
