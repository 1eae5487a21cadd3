rule one { condition: true }
