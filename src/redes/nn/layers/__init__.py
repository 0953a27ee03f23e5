"""Layers of the NumPy engine, named as in ``keras.layers``."""

from .activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from .attention import MultiHeadAttention
from .augmentation import (
    RandomContrast,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)
from .base import Layer
from .conv import Conv1D, Conv2D, Convolution1D, Convolution2D
from .conv_depthwise import (
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from .conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
)
from .core import Activation, Dense, Dropout, Flatten, Input, InputLayer, Reshape
from .embedding import Embedding
from .image_preprocessing import CenterCrop, Resizing
from .lambda_layer import Lambda
from .layer_normalization import LayerNormalization, UnitNormalization
from .merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .noise import GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D
from .normalization import BatchNormalization
from .pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)
from .preprocessing import (
    CategoryEncoding,
    Discretization,
    Hashing,
    IntegerLookup,
    Normalization,
    Rescaling,
    StringLookup,
    TextVectorization,
)
from .reshaping import (
    Cropping1D,
    Cropping2D,
    Permute,
    RepeatVector,
    ZeroPadding1D,
    ZeroPadding2D,
)
from .rnn import GRU, LSTM, SimpleRNN
from .upsampling import UpSampling1D, UpSampling2D
from .wrappers import Bidirectional, TimeDistributed

__all__ = [
    "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
    "SeparableConvolution1D", "SeparableConvolution2D",
    "CategoryEncoding", "Discretization", "Hashing", "IntegerLookup", "Normalization",
    "Rescaling", "StringLookup", "TextVectorization",
    "MultiHeadAttention",
    "CenterCrop", "RandomContrast", "RandomFlip", "RandomRotation", "RandomTranslation",
    "RandomZoom", "Resizing",
    "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax", "LayerNormalization", "UnitNormalization",
    "GaussianDropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D",
    "Cropping1D", "Cropping2D", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D",
    "UpSampling1D", "UpSampling2D",
    "Conv1DTranspose", "Conv2DTranspose", "Convolution1DTranspose",
    "Convolution2DTranspose",
    "Activation", "AveragePooling1D", "Bidirectional", "Embedding", "GRU", "LSTM", "SimpleRNN",
    "TimeDistributed", "AveragePooling2D", "AvgPool1D", "AvgPool2D",
    "BatchNormalization", "Conv1D", "Conv2D", "Convolution1D", "Convolution2D", "Dense",
    "Dropout", "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAvgPool1D",
    "GlobalAvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPooling1D",
    "GlobalMaxPooling2D", "Input", "InputLayer", "Lambda", "Layer", "MaxPool1D", "MaxPool2D",
    "MaxPooling1D", "MaxPooling2D", "Reshape",
    "Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract",
    "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
]
