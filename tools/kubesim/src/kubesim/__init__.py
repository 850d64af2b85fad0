"""kubesim: a small in-memory Kubernetes API server that behaves like kube-apiserver where it matters."""

__version__ = "0.1.0"
