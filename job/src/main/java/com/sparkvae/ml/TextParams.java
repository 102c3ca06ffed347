package com.sparkvae.ml;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;
import scala.Function1;
import scala.reflect.ClassTag$;

/**
 * Params of text values on both Spark lines. Spark 4 declares {@code Param[T: ClassTag]}, so its constructors take
 * a trailing {@code ClassTag} that Spark 3.5's do not: no one Java expression calls both, so the constructor is
 * found by its leading parameter types. (The numeric and array Params are classes of their own, with the same
 * constructors on both lines.)
 */
final class TextParams {
    private TextParams() {
    }

    /** A {@code Param<String>} of {@code parent}, validated by {@code isValid}. */
    @SuppressWarnings("unchecked")
    static Param<String> create(Identifiable parent, String name, String doc, Function1<String, Object> isValid) {
        for (Constructor<?> c : Param.class.getConstructors()) {
            Class<?>[] types = c.getParameterTypes();
            if (types.length < 4 || types[0] != Identifiable.class || types[1] != String.class
                    || types[2] != String.class || types[3] != Function1.class) {
                continue;
            }
            Object[] args = types.length == 4 ? new Object[] {parent, name, doc, isValid}
                    : new Object[] {parent, name, doc, isValid, ClassTag$.MODULE$.apply(String.class)};
            try {
                return (Param<String>) c.newInstance(args);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot create Param " + name, e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create Param " + name, e);
            }
        }
        throw new IllegalStateException("this Spark's Param has no constructor (Identifiable, String, String, "
                + "Function1): not a Spark line this jar supports");
    }

    /** Any text: a column name, where the empty name has its own meaning to the stage. */
    static Function1<String, Object> anyText() {
        return new AnyText();
    }

    private static final class AnyText extends scala.runtime.AbstractFunction1<String, Object>
            implements java.io.Serializable {
        @Override
        public Object apply(String value) {
            return value != null;
        }
    }
}
