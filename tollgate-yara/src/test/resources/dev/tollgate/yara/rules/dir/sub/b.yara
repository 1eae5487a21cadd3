rule two { condition: true }
