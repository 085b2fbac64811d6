package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
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
 * {@code @Qualifier("<name>")}, closed when the context closes. Each ring's builder passes through every
 * {@link RingBufferBuilderCustomizer} bean before the ring is made.
 *
 * <p>It runs while the configuration classes are read, after the application's own. When a bean named
 * {@code <name>} is already defined: if it is the application's own {@code RingBuffer}, that bean wins and the entry
 * is skipped with a warning; any other bean fails startup with a {@link RingBufferConfigurationException} (a ring
 * that silently did not exist would lose every record written for it). Every entry is checked before any is
 * registered, and an unknown property under {@code ringbuf.rings} (a typo) fails startup too.
 */
class RingBufferRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private static final Log log = LogFactory.getLog(RingBufferRegistrar.class);

    private @Nullable Environment environment;
    private @Nullable BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        final BeanFactory beans = Objects.requireNonNull(beanFactory, "beanFactory");
        for (RingDefinition ring : definitions(Objects.requireNonNull(environment, "environment"))) {
            if (registry.containsBeanDefinition(ring.name())) {
                checkIsARing(registry, ring.name());
                log.warn("ringbuf: the application defines a RingBuffer bean named '" + ring.name() + "': it is "
                        + "used, and " + RingBufferProperties.RINGS + "." + ring.name() + ".* is ignored");
                continue;
            }
            final RootBeanDefinition bean = new RootBeanDefinition(RingBuffer.class, () -> ring.create(
                    beans.getBeanProvider(RingBufferBuilderCustomizer.class).orderedStream().toList()));
            bean.setDestroyMethodName("close");
            bean.addQualifier(new AutowireCandidateQualifier(Qualifier.class, ring.name()));
            bean.setDescription(ring.toString() + " from " + RingBufferProperties.RINGS + "." + ring.name());
            registry.registerBeanDefinition(ring.name(), bean);
        }
    }

    private static void checkIsARing(BeanDefinitionRegistry registry, String name) {
        final Class<?> type = registry instanceof ConfigurableListableBeanFactory
                ? ((ConfigurableListableBeanFactory) registry).getType(name, false) : null;
        if (type != null && RingBuffer.class.isAssignableFrom(type)) {
            return;
        }
        final BeanDefinition other = registry.getBeanDefinition(name);
        throw new RingBufferConfigurationException("The ring '" + name + "' of " + RingBufferProperties.RINGS + "."
                + name + ".* would be a bean named '" + name + "', but a bean of that name is already defined: "
                + (type == null ? "" : type.getName() + " ") + "(" + other.getResourceDescription() + ").",
                "A ring's key under " + RingBufferProperties.RINGS + " is its bean name, its qualifier and its "
                + "meters' ring tag, so it must not name another bean: rename the ring (for example "
                + RingBufferProperties.RINGS + "." + name + "Ring.capacity=...), or rename the other bean.");
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
