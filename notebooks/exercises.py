"""Ejercicios de programación de los cuadernos del curso.

En cada ejercicio escribes una función (la derivada de ReLU, la pasada hacia atrás de una
capa densa, una convolución...) y ``check`` la prueba con unos datos pequeños: la compara
con los valores correctos o con el gradiente numérico (diferencias centrales, medidas con
``redes.nn.gradcheck``) y te dice qué está mal, si algo lo está: la forma, el signo, un
factor que sobra o que falta... ::

    import exercises

    def relu_derivative(z):
        # TU CÓDIGO AQUÍ
        raise NotImplementedError

    exercises.check("derivada_relu", relu_derivative)   # todavía sin resolver

Mientras la función lance ``NotImplementedError``, el ejercicio cuenta como "todavía sin
resolver": ``check`` lo dice y no lanza ningún error, así que el cuaderno se ejecuta de
principio a fin. ``grade`` hace lo mismo sin imprimir y devuelve un ``Verdict``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redes.nn import gradcheck
from redes.nn.gradcheck.numeric import central_differences

CORRECT, WRONG, UNSOLVED = "correcto", "incorrecto", "sin resolver"


@dataclass(frozen=True)
class Verdict:
    """El resultado de corregir un ejercicio.

    Attributes:
        exercise: el nombre del ejercicio (``"derivada_relu"``).
        status: ``"correcto"``, ``"incorrecto"`` o ``"sin resolver"``.
        message: la explicación, en español.
    """

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        return self.message


class Wrong(Exception):
    """Una comprobación falló; el mensaje explica por qué."""


# ------------------------------------------------------------------------ las herramientas
def _numeric_gradient(loss, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """dL/dx por diferencias centrales, (L(x + h) - L(x - h)) / 2h, elemento a elemento, con
    las de ``redes.nn.gradcheck``."""
    positions = list(np.ndindex(x.shape))
    return central_differences(x, loss, np.subtract, h, positions).reshape(x.shape)


def _array(value, name: str) -> np.ndarray:
    if value is None:
        raise Wrong(f"{name} es None: ¿olvidaste el `return`?")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{name} es un {type(value).__name__}: se esperaba un array de NumPy "
                    "(o un número)") from None


def _same(got, expected, rtol=1e-6, atol=1e-9) -> bool:
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    return got.shape == expected.shape and np.allclose(got, expected, rtol=rtol, atol=atol)


def _compare(got, expected, name: str, mistakes=(), rtol=1e-6, atol=1e-9) -> None:
    """Lanza ``Wrong`` con la explicación si ``got`` no es ``expected``.

    ``mistakes`` son pares (valor que da un error típico, explicación de ese error): si
    ``got`` coincide con uno, se explica ese error. Si no, se mira la forma, el signo, un
    factor constante y, por último, el primer elemento distinto.
    """
    got = _array(got, name)
    for wrong_value, explanation in mistakes:
        if _same(got, wrong_value, rtol, atol):
            raise Wrong(f"{name}: {explanation}")
    if got.shape != expected.shape:
        if got.ndim == 2 and got.T.shape == expected.shape and _same(got.T, expected, rtol,
                                                                      atol):
            raise Wrong(f"{name} tiene la forma traspuesta: {got.shape} en lugar de "
                        f"{expected.shape}. Los números están bien, pero las filas y las "
                        "columnas están cambiadas: revisa el orden de un producto de "
                        "matrices, o de los índices.")
        raise Wrong(f"{name} tiene forma {got.shape}; se esperaba {expected.shape}.")
    if not np.all(np.isfinite(got)):
        raise Wrong(f"{name} tiene NaN o infinitos.")
    if _same(got, expected, rtol, atol):
        return
    if _same(-got, expected, rtol, atol):
        raise Wrong(f"{name} tiene el signo cambiado: los valores son los correctos por -1.")
    scale = float(np.sum(got * expected) / max(np.sum(expected * expected), 1e-300))
    if scale and _same(got, scale * expected, rtol, atol):
        raise Wrong(f"{name} es {scale:.4g} veces el valor correcto: sobra o falta un factor.")
    error = gradcheck.relative_error(got, expected)
    where = np.unravel_index(int(np.argmax(error)), error.shape)
    position = f" en la posición {tuple(int(i) for i in where)}" if got.ndim else ""
    raise Wrong(f"{name} no es correcto{position}: da {got[where]:.6g} y se esperaba "
                f"{expected[where]:.6g} (error relativo máximo {error.max():.1e}).")


# ---------------------------------------------------------------------------- los ejercicios
def _relu_derivative(fn):
    z = np.array([[-2.0, -0.5, 0.3, 1.5], [4.0, -0.01, 0.02, -3.0]])   # lejos del pico, 0
    got = fn(z.copy())
    expected = _numeric_gradient(lambda: float(np.sum(np.maximum(0, z))), z)
    _compare(got, expected, "relu_derivative(z)", mistakes=[
        (np.maximum(0, z), "devuelves ReLU(z), no su derivada. La derivada es la pendiente: "
                           "1 donde z > 0 y 0 donde z < 0."),
        ((z < 0).astype(float), "está al revés: vale 1 donde z < 0 y debe valer 1 donde "
                                "z > 0 (allí ReLU(z) = z, de pendiente 1)."),
    ])


def _central_difference(fn):
    def f(w):
        return w ** 3 - 2 * w

    h = 1e-5
    for w in [-1.5, 0.5, 2.0]:
        got = fn(f, w)
        _compare(got, np.float64(3 * w ** 2 - 2), f"numerical_derivative(f, {w})", mistakes=[
            ((f(w + h) - f(w)) / h, "es la diferencia hacia adelante (f(w + h) - f(w)) / h. "
                                    "Se acerca, pero su error es del orden de h; la "
                                    "diferencia central (f(w + h) - f(w - h)) / 2h lo "
                                    "reduce al orden de h²."),
            ((f(w + h) - f(w - h)) / h, "divides entre h, pero los dos puntos están a 2h "
                                        "de distancia: divide entre 2 * h."),
        ], rtol=1e-7)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _output_gradient(fn):
    z = np.array([[0.3], [-1.2], [2.0], [0.1], [-0.4]])
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    p, n = _sigmoid(z), len(y)

    def loss():
        q = _sigmoid(z)
        return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))

    expected = _numeric_gradient(loss, z)
    got = fn(p.copy(), y.copy())
    _compare(got, expected, "output_gradient(p, y)", mistakes=[
        (p - y, f"es {n} veces el valor correcto: la pérdida es la media de las {n} "
                "muestras, así que falta dividir entre n = len(y)."),
        (p * (1 - p), "eso es la derivada de la sigmoide sola, dp/dz. Falta multiplicarla "
                      "por dL/dp."),
        (p * (1 - p) / n, "eso es la derivada de la sigmoide sola (entre n). Falta "
                          "multiplicarla por dL/dp."),
        ((-y / p + (1 - y) / (1 - p)) / n, "eso es dL/dp, la derivada respecto a la "
                                           "probabilidad. Multiplícala por dp/dz = p(1 - p) "
                                           "y verás cuánto se simplifica."),
    ])


def _dense_backward(fn):
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))       # 4 muestras, 3 -> 2
    b, dz = rng.normal(size=2), rng.normal(size=(4, 2))

    def loss():                                   # L = sum(dZ * Z): así dL/dZ es dZ
        return float(np.sum(dz * (x @ w + b)))

    got = fn(x.copy(), w.copy(), dz.copy())
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        count = len(got) if isinstance(got, (tuple, list)) else 1
        raise Wrong(f"dense_backward devuelve {count} valor(es): se esperaban tres, "
                    "return dX, dW, db.")
    dx, dw, db = got
    _compare(dx, _numeric_gradient(loss, x), "dX")
    _compare(dw, _numeric_gradient(loss, w), "dW")
    _compare(db, _numeric_gradient(loss, b), "db", mistakes=[
        (dz.mean(axis=0), "es la media de dZ sobre las muestras; es la suma: cada "
                          "muestra suma su parte del gradiente (la media ya está en dZ)."),
        (dz, "tiene una fila por muestra: suma dZ sobre el eje de las muestras, "
             "dZ.sum(axis=0)."),
    ])


def _dropout_mask(fn):
    shape = (400, 50)
    for rate in (0.2, 0.5):
        mask = _array(fn(shape, rate, np.random.default_rng(0)),
                      f"dropout_mask(shape, {rate}, rng)")
        name = f"la máscara con rate = {rate}"
        if mask.shape != shape:
            raise Wrong(f"{name} tiene forma {mask.shape}; se esperaba {shape}, la de la "
                        "entrada.")
        kept = np.unique(mask[mask != 0])
        if len(kept) != 1:
            raise Wrong(f"{name} tiene los valores {np.unique(mask)[:5]}...: debe tener solo "
                        f"0 y 1 / (1 - rate) = {1 / (1 - rate):g}.")
        value = float(kept[0])
        if not np.isclose(value, 1 / (1 - rate)):
            hints = {1.0: "te falta escalar: divide lo que queda entre 1 - rate",
                     1 / rate: "divides entre rate; hay que dividir entre 1 - rate, la "
                               "fracción que se queda",
                     1 - rate: "multiplicas por 1 - rate; hay que dividir entre 1 - rate"}
            hint = next((text for v, text in hints.items() if np.isclose(value, v)),
                        f"vale {value:g} donde no es 0")
            raise Wrong(f"{name}: {hint}. En el dropout invertido lo que queda vale "
                        f"1 / (1 - rate) = {1 / (1 - rate):g}, para que la media de la salida "
                        "no cambie al entrenar.")
        dropped = float(np.mean(mask == 0))
        if abs(dropped - rate) > 0.03:
            why = (" Parece al revés: rate es la fracción que se apaga."
                   if abs(dropped - (1 - rate)) <= 0.03 else "")
            raise Wrong(f"{name} apaga el {dropped:.0%} de las entradas; se esperaba "
                        f"alrededor del {rate:.0%}.{why}")
    again = [np.asarray(fn(shape, 0.2, np.random.default_rng(1))) for _ in range(2)]
    if not np.array_equal(again[0], again[1]):
        raise Wrong("dos llamadas con generadores rng iguales dan máscaras distintas: usa el "
                    "generador rng que recibe la función (por ejemplo rng.random(shape)).")


def _l2_gradient(fn):
    w = np.random.default_rng(0).normal(size=(3, 4))
    l2 = 0.01
    expected = _numeric_gradient(lambda: l2 * float(np.sum(w ** 2)), w)
    got = fn(w.copy(), l2)
    _compare(got, expected, "l2_gradient(w, l2)", mistakes=[
        (l2 * w, "te falta el factor 2: la derivada de w² es 2w."),
        (2 * w, "te falta l2: la penalización es l2 · Σ w², así que su derivada lleva l2."),
        (l2 * w ** 2, "eso es la penalización de cada peso, no su derivada."),
    ])


def _conv2d(fn):
    image = np.array([[0, 0, 0, 9, 9, 9],
                      [0, 0, 0, 9, 9, 9],
                      [0, 0, 1, 9, 9, 9],
                      [0, 0, 0, 9, 8, 9],
                      [0, 0, 0, 9, 9, 9]], dtype=np.float64)      # un borde vertical
    kernels = [np.array([[1.0, 0.0, -1.0]] * 3),                    # detector de bordes
               np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [3.0, 0.0, 1.0]])]
    for kernel in kernels:
        windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
        expected = np.einsum("ijkl,kl->ij", windows, kernel)
        flipped = np.einsum("ijkl,kl->ij", windows, kernel[::-1, ::-1])
        got = fn(image.copy(), kernel.copy())
        if np.shape(got) == image.shape:
            raise Wrong("conv2d(image, kernel) tiene la forma de la imagen: sin relleno "
                        "(padding='valid'), una imagen 5 × 6 con un filtro 3 × 3 da 3 × 4.")
        _compare(got, expected, "conv2d(image, kernel)", mistakes=[
            (flipped, "volteaste el filtro (la convolución de los libros de matemáticas). "
                      "Conv2D, en Keras y en casi todas las bibliotecas, no lo voltea: "
                      "multiplica cada ventana por el filtro tal cual (correlación cruzada)."),
        ])


EXERCISES = {
    "derivada_relu": (_relu_derivative,
                      "la derivada de ReLU es un escalón: 0 para z < 0 y 1 para z > 0 (en "
                      "z = 0 no existe; Keras toma 0)."),
    "diferencias_centrales": (_central_difference,
                              "las diferencias centrales tienen un error del orden de h²: "
                              "con h = 1e-5, unos 1e-10."),
    "gradiente_salida": (_output_gradient,
                         "con la sigmoide y la entropía cruzada, dL/dz = (p - y) / n: el error "
                         "de la predicción, promediado sobre el lote."),
    "retro_densa": (_dense_backward,
                    "dX = dZ Wᵀ, dW = Xᵀ dZ y db = Σ dZ: cada gradiente tiene la forma de lo "
                    "que deriva."),
    "mascara_dropout": (_dropout_mask,
                        "la máscara apaga una fracción rate de las entradas y multiplica el "
                        "resto por 1 / (1 - rate), así que la media no cambia."),
    "gradiente_l2": (_l2_gradient,
                     "la derivada de l2 · Σ w² es 2 · l2 · w: empuja cada peso hacia 0, más "
                     "cuanto más grande es."),
    "convolucion_2d": (_conv2d,
                       "cada salida es la suma de una ventana de la imagen multiplicada, "
                       "elemento a elemento, por el filtro."),
}

_STATUS: dict[str, str] = {}


def grade(exercise: str, fn) -> Verdict:
    """Corrige la función ``fn`` del ejercicio ``exercise`` sin imprimir nada.

    Args:
        exercise: el nombre del ejercicio, una clave de ``EXERCISES``.
        fn: tu función.

    Returns:
        Un ``Verdict``: ``"sin resolver"`` si ``fn`` lanza ``NotImplementedError``,
        ``"incorrecto"`` con la explicación del error, o ``"correcto"``.
    """
    if exercise not in EXERCISES:
        raise ValueError(f"exercise: no hay ningún ejercicio {exercise!r}; los hay "
                         f"{', '.join(EXERCISES)}")
    run, explanation = EXERCISES[exercise]
    title = f"Ejercicio {exercise}"
    if not callable(fn):
        return Verdict(exercise, WRONG, f"{title}: ✘ se esperaba una función y llegó "
                                        f"{type(fn).__name__}.")
    try:
        run(fn)
    except NotImplementedError:
        return Verdict(exercise, UNSOLVED, f"{title}: todavía sin resolver. Escribe tu "
                       "código donde dice # TU CÓDIGO AQUÍ (borra el raise "
                       "NotImplementedError) y vuelve a ejecutar las dos celdas.")
    except Wrong as err:
        return Verdict(exercise, WRONG, f"{title}: ✘ todavía no. {err}")
    except Exception as err:  # un error en el código del lector: se explica, no se lanza
        hint = ""
        if "truth value of an array" in str(err):
            hint = (" Un `if` no sirve con arrays: compara elemento a elemento (z > 0) o "
                    "usa np.where.")
        elif "matmul" in str(err) or "shapes" in str(err):
            hint = " Revisa las formas: en A @ B, las columnas de A son las filas de B."
        return Verdict(exercise, WRONG, f"{title}: ✘ tu función lanzó "
                       f"{type(err).__name__}: {err}.{hint}")
    return Verdict(exercise, CORRECT, f"{title}: ✔ ¡correcto! Bien hecho: {explanation}")


def check(exercise: str, fn) -> None:
    """Corrige la función ``fn`` del ejercicio ``exercise`` e imprime el resultado: si está
    sin resolver, qué está mal o que está bien. Nunca lanza un error por tu código."""
    verdict = grade(exercise, fn)
    _STATUS[exercise] = verdict.status
    print(verdict.message)


def status() -> dict[str, str]:
    """``{ejercicio: estado}`` de los ejercicios corregidos con ``check`` en esta sesión."""
    return dict(_STATUS)
