"""Helpers the tests share: throwaway servers and the like."""
