package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link RingBuffer} bean per {@code ringbuf.rings.<name>} entry, named {@code <name>} and qualified
 * {@code @Qualifier("<name>")}, closed when the context closes.
 *
 * <p>It runs while the configuration classes are read, after the application's own: when a bean named
 * {@code <name>} is already defined (the application's own {@code RingBuffer}, for example), that bean wins and
 * the entry is skipped. Every entry is checked before any is registered, and an unknown property under
 * {@code ringbuf.rings} (a typo) fails startup too.
 */
class RingBufferRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private static final Log log = LogFactory.getLog(RingBufferRegistrar.class);

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        for (RingDefinition ring : definitions(environment)) {
            if (registry.containsBeanDefinition(ring.name())) {
                log.info("ringbuf: the application defines a bean named '" + ring.name() + "': it is used instead of "
                        + RingBufferProperties.RINGS + "." + ring.name());
                continue;
            }
            final RootBeanDefinition bean = new RootBeanDefinition(RingBuffer.class, ring::create);
            bean.setDestroyMethodName("close");
            bean.addQualifier(new AutowireCandidateQualifier(Qualifier.class, ring.name()));
            bean.setDescription(ring.toString() + " from " + RingBufferProperties.RINGS + "." + ring.name());
            registry.registerBeanDefinition(ring.name(), bean);
        }
    }

    /**
     * Binds and checks {@code ringbuf.rings}.
     *
     * @param environment the application's environment
     * @return the rings, in the order of their properties
     */
    static List<RingDefinition> definitions(Environment environment) {
        final BindHandler failOnUnknown = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
        final Map<String, RingBufferProperties.Ring> rings = Binder.get(environment)
                .bind(RingBufferProperties.RINGS, Bindable.mapOf(String.class, RingBufferProperties.Ring.class),
                        failOnUnknown)
                .orElse(Map.of());
        final List<RingDefinition> definitions = new ArrayList<>(rings.size());
        rings.forEach((name, ring) -> definitions.add(RingDefinition.of(name, ring)));
        return definitions;
    }
}
