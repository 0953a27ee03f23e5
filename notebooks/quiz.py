"""Cuestionarios de autoevaluación de los cuadernos del curso.

Cada parte del curso termina con unas preguntas. El cuaderno las muestra con ``show`` y el
lector escribe sus respuestas en un diccionario; ``check`` las corrige y explica la
respuesta correcta, acierte o no::

    import quiz

    quiz.show("01")
    answers = {1: "b", 2: 0.25, 3: None}      # None: todavía sin responder
    quiz.check("01", answers)

Las respuestas de opción múltiple son letras (``"a"``, ``"B"``, ``"c)"``); las numéricas
aceptan números o textos como ``"0,25"`` (coma decimal) y ``"33 280"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """Una pregunta.

    Attributes:
        text: el enunciado.
        answer: la letra correcta (``"b"``) o el número correcto.
        explanation: por qué esa es la respuesta.
        options: ``{"a": texto, ...}`` en las preguntas de opción múltiple; vacío en las
            numéricas.
        tolerance: error absoluto admitido en las respuestas numéricas. Por defecto ``1e-6``.
    """

    text: str
    answer: str | float
    explanation: str
    options: dict[str, str] | None = None
    tolerance: float = 1e-6

    @property
    def numeric(self) -> bool:
        return not self.options


@dataclass(frozen=True)
class Score:
    """El resultado de ``check``: aciertos, fallos y preguntas sin responder."""

    part: str
    correct: int
    wrong: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.correct + self.wrong + self.unanswered

    def __str__(self) -> str:
        text = f"Parte {self.part}: {self.correct} de {self.total} correctas"
        if self.unanswered:
            text += f", {self.unanswered} sin responder"
        return text


QUIZZES: dict[str, list[Question]] = {
    "01": [
        Question(
            "Una neurona recibe x = (1, 2), tiene pesos w = (0.5, -1), sesgo b = 1 y "
            "activación ReLU. ¿Qué valor sale de la neurona?",
            0.0,
            "z = w·x + b = 0.5·1 + (-1)·2 + 1 = -0.5, y ReLU(z) = max(0, z) = 0: la neurona "
            "no se activa con esta entrada.",
        ),
        Question(
            "¿Por qué una red necesita funciones de activación no lineales?",
            "b",
            "Sin ellas, cada capa es una transformación lineal y la composición de "
            "transformaciones lineales es otra transformación lineal: cien capas harían lo "
            "mismo que una. La no linealidad permite doblar la frontera de decisión.",
            {"a": "Para que el entrenamiento sea más rápido.",
             "b": "Porque sin ellas varias capas equivalen a una sola transformación lineal.",
             "c": "Para que las salidas queden entre 0 y 1."},
        ),
        Question(
            "¿Cuánto vale la derivada de la sigmoide en z = 0?",
            0.25,
            "σ'(z) = σ(z)·(1 - σ(z)) y σ(0) = 0.5, así que σ'(0) = 0.5 · 0.5 = 0.25. Es su "
            "valor máximo: la sigmoide nunca deja pasar más de un cuarto del gradiente.",
        ),
        Question(
            "En el descenso del gradiente, ¿qué pasa si la tasa de aprendizaje es demasiado "
            "grande?",
            "c",
            "Cada paso salta por encima del mínimo: la pérdida oscila y, si el paso es aún "
            "mayor, crece sin límite (diverge). Una tasa demasiado pequeña, en cambio, "
            "converge, pero muy despacio.",
            {"a": "Converge más despacio.",
             "b": "Siempre llega antes al mínimo.",
             "c": "Puede oscilar alrededor del mínimo o divergir."},
        ),
        Question(
            "Para clasificar dígitos en 10 clases con etiquetas enteras (0 a 9) y una "
            "salida softmax, ¿qué función de pérdida se usa?",
            "c",
            "La entropía cruzada categórica mide lo lejos que está la distribución "
            "predicha de la clase correcta; la versión 'sparse' acepta la etiqueta como un "
            "entero, sin codificarla en one-hot. mse es para regresión y "
            "binary_crossentropy para dos clases con una salida sigmoide.",
            {"a": "mean_squared_error",
             "b": "binary_crossentropy",
             "c": "sparse_categorical_crossentropy"},
        ),
        Question(
            "¿Cuántos parámetros tiene una capa Dense(512) que recibe vectores de 64 "
            "valores?",
            33280,
            "El kernel tiene 64 × 512 = 32 768 pesos y hay un sesgo por neurona (512): "
            "32 768 + 512 = 33 280.",
        ),
    ],
    "02": [
        Question(
            "Un lote de 32 imágenes en color (RGB) de 28 × 28 píxeles, con los canales al "
            "final como en Keras, ¿qué forma tiene?",
            "a",
            "Keras pone primero el eje de las muestras (el lote) y, por defecto, los "
            "canales al final: (muestras, alto, ancho, canales) = (32, 28, 28, 3).",
            {"a": "(32, 28, 28, 3)", "b": "(3, 28, 28, 32)", "c": "(28, 28, 3)"},
        ),
        Question(
            "X tiene forma (1000, 2) y W1 forma (2, 4). ¿Qué forma tiene X @ W1?",
            "b",
            "En un producto de matrices (n, k) @ (k, m) da (n, m): cada una de las 1000 "
            "muestras sale con 4 valores, uno por neurona de la capa.",
            {"a": "(2, 4)", "b": "(1000, 4)", "c": "(4, 1000)"},
        ),
        Question(
            "Con una salida sigmoide y la entropía cruzada binaria, ¿cuánto vale la "
            "derivada de la pérdida de una muestra respecto a z, la entrada de la sigmoide?",
            "a",
            "dL/dp = -(y/p) + (1-y)/(1-p) y dp/dz = p(1-p); al multiplicarlas casi todo se "
            "cancela y queda p - y: el error de la predicción. Promediada sobre el lote, "
            "(p - y)/n.",
            {"a": "p - y", "b": "p·(1 - p)", "c": "-y/p"},
        ),
        Question(
            "En una capa densa z = X @ W + b, conocido dL/dz, ¿cuánto vale dL/dW?",
            "b",
            "Cada peso W[i, j] multiplica la entrada X[:, i] para dar z[:, j], así que "
            "dL/dW = Xᵀ @ dL/dz, que tiene la forma de W. dL/dz @ Wᵀ es en cambio dL/dX, el "
            "gradiente que pasa a la capa anterior.",
            {"a": "dL/dz @ Wᵀ", "b": "Xᵀ @ dL/dz", "c": "W @ dL/dz"},
        ),
        Question(
            "¿Cuántos parámetros (pesos y sesgos) tiene la red de capas [2, 4, 8, 1]?",
            61,
            "(2·4 + 4) + (4·8 + 8) + (8·1 + 1) = 12 + 40 + 9 = 61.",
        ),
        Question(
            "Una red acierta el 100 % en entrenamiento y el 70 % en prueba. ¿Qué le pasa?",
            "c",
            "Ha memorizado los ejemplos de entrenamiento en lugar de aprender la regla "
            "general: sobreajuste. Lo miden los datos que la red no vio al entrenar.",
            {"a": "Le falta capacidad (subajuste).",
             "b": "La tasa de aprendizaje es demasiado pequeña.",
             "c": "Se ha sobreajustado a los datos de entrenamiento."},
        ),
    ],
    "03": [
        Question(
            "¿Para qué sirve el conjunto de validación?",
            "b",
            "La validación guía las decisiones (arquitectura, épocas, regularización) sin "
            "tocar el conjunto de prueba, que se usa una sola vez al final para dar una "
            "estimación honesta. Si decidimos mirando la prueba, esa estimación deja de ser "
            "honesta.",
            {"a": "Para entrenar con más datos.",
             "b": "Para elegir hiperparámetros y decidir cuándo parar sin mirar la prueba.",
             "c": "Para dar la nota final del modelo."},
        ),
        Question(
            "La pérdida de entrenamiento sigue bajando, pero la de validación empieza a "
            "subir. ¿Qué ocurre?",
            "a",
            "Es la señal del sobreajuste: la red aprende detalles de los datos de "
            "entrenamiento que no se generalizan. Remedios: menos capacidad, L2, dropout, "
            "más datos, o parar antes (early stopping).",
            {"a": "Sobreajuste.", "b": "Subajuste.", "c": "La tasa de aprendizaje es pequeña."},
        ),
        Question(
            "¿Qué hace una capa Dropout(0.5) cuando el modelo predice (inferencia)?",
            "c",
            "Solo actúa al entrenar: apaga al azar la mitad de las entradas y multiplica el "
            "resto por 1/(1 - 0.5) = 2 para que la media no cambie. Al predecir deja pasar "
            "todo sin tocarlo.",
            {"a": "Apaga la mitad de las neuronas.",
             "b": "Multiplica todas las salidas por 0.5.",
             "c": "Nada: deja pasar las entradas tal cual."},
        ),
        Question(
            "En una regresión (predecir el precio de una casa), ¿qué activación lleva la "
            "última capa?",
            "c",
            "Ninguna (lineal): la salida debe poder tomar cualquier valor. Una sigmoide la "
            "encerraría entre 0 y 1 y una softmax es para repartir probabilidad entre "
            "clases.",
            {"a": "sigmoid", "b": "softmax", "c": "Ninguna (lineal)."},
        ),
        Question(
            "Con validación cruzada de k = 4 pliegues, ¿cuántos modelos se entrenan "
            "antes del modelo final?",
            4,
            "Uno por pliegue: cada modelo se valida en un pliegue distinto y se "
            "entrena con las otras tres. La media de sus 4 puntuaciones es la estimación; "
            "después se entrena el modelo final con todos los datos de entrenamiento.",
        ),
        Question(
            "¿Por qué se normalizan los datos con la media y la desviación estándar del "
            "conjunto de entrenamiento solamente?",
            "b",
            "Si las estadísticas incluyeran los datos de validación o de prueba, algo de "
            "ellos se filtraría al entrenamiento y la evaluación sería optimista. Los "
            "datos nuevos se transforman con las mismas estadísticas.",
            {"a": "Porque es más rápido.",
             "b": "Para que nada del conjunto de prueba se filtre en el entrenamiento.",
             "c": "Porque Keras no admite otra cosa."},
        ),
        Question(
            "¿Qué ventaja tiene una capa convolucional frente a una densa en señales e "
            "imágenes?",
            "a",
            "Un filtro recorre toda la entrada con los mismos pesos: reconoce un patrón "
            "esté donde esté y necesita muchos menos pesos que una capa densa, que tendría "
            "que aprender cada posición por separado.",
            {"a": "Reconoce un patrón en cualquier posición con pocos pesos compartidos.",
             "b": "No necesita función de activación.",
             "c": "Siempre entrena más rápido que cualquier red densa."},
        ),
    ],
}

_LETTERS = "abcdefghij"


def _questions(part) -> list[Question]:
    key = str(part).zfill(2)
    if key not in QUIZZES:
        raise ValueError(f"part: no hay cuestionario {part!r}; los hay de las partes "
                         f"{', '.join(sorted(QUIZZES))}")
    return QUIZZES[key]


def show(part) -> None:
    """Imprime las preguntas de la parte ``part`` (``"01"``, ``"02"``, ``"03"`` o 1, 2, 3) y
    la plantilla del diccionario de respuestas."""
    questions = _questions(part)
    lines = [f"Cuestionario de la parte {str(part).zfill(2)}", ""]
    for number, q in enumerate(questions, 1):
        lines.append(f"{number}. {q.text}")
        if q.options:
            lines += [f"   {letter}) {text}" for letter, text in q.options.items()]
        else:
            lines.append("   (responde con un número)")
        lines.append("")
    template = ", ".join(f"{n}: None" for n in range(1, len(questions) + 1))
    lines.append(f"Escribe tus respuestas así y ejecuta la celda: answers = {{{template}}}")
    print("\n".join(lines))


def _number(value):
    """A number from an int, a float or a text such as "0,25" or "33 280"; None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None
    try:
        return float(value)   # NumPy numbers
    except (TypeError, ValueError):
        return None


def _letter(value):
    if not isinstance(value, str):
        return None
    text = value.strip().lower().rstrip(").")
    return text if len(text) == 1 and text in _LETTERS else None


def _grade(q: Question, given):
    """(True/False/None, message): None when the answer is missing or not understood."""
    if given is None or (isinstance(given, str) and not given.strip()):
        return None, "sin responder"
    if q.numeric:
        number = _number(given)
        if number is None or not math.isfinite(number):
            return None, f"no entiendo {given!r}: la respuesta es un número"
        return abs(number - float(q.answer)) <= q.tolerance, f"respondiste {given}"
    letter = _letter(given)
    if letter is None or letter not in q.options:
        return None, (f"no entiendo {given!r}: elige una letra entre "
                      f"{', '.join(q.options)}")
    return letter == q.answer, f"respondiste {letter})"


def check(part, answers) -> Score:
    """Corrige las respuestas de la parte ``part`` y explica cada una.

    Args:
        part: ``"01"``, ``"02"``, ``"03"`` (o 1, 2, 3).
        answers: ``{número de pregunta: respuesta}``; una respuesta ``None`` cuenta como
            sin responder (y no se revela la solución, para que puedas pensarla).

    Returns:
        Un ``Score`` con los aciertos, fallos y preguntas sin responder.
    """
    questions = _questions(part)
    if not isinstance(answers, dict):
        raise ValueError(f"answers: se esperaba un diccionario {{1: 'b', 2: 0.25, ...}}, "
                         f"llegó {type(answers).__name__}")
    unknown = [k for k in answers if not isinstance(k, int) or not 1 <= k <= len(questions)]
    if unknown:
        raise ValueError(f"answers: la pregunta {unknown[0]!r} no existe; las preguntas van "
                         f"de 1 a {len(questions)}")
    correct = wrong = unanswered = 0
    lines = []
    for number, q in enumerate(questions, 1):
        verdict, note = _grade(q, answers.get(number))
        if verdict is None:
            unanswered += 1
            lines.append(f"{number}. … {note}. Escribe tu respuesta y vuelve a ejecutar la "
                         "celda.")
            continue
        right = (f"{q.answer}) {q.options[q.answer]}" if q.options
                 else f"{float(q.answer):g}")
        if verdict:
            correct += 1
            lines.append(f"{number}. ✔ Correcto ({note}). {q.explanation}")
        else:
            wrong += 1
            lines.append(f"{number}. ✘ No: {note}; la respuesta es {right}. {q.explanation}")
    score = Score(str(part).zfill(2), correct, wrong, unanswered)
    lines += ["", str(score)]
    print("\n".join(lines))
    return score
