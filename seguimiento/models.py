"""What happens after signing: evidence, reviews, prórrogas, sesiones."""
